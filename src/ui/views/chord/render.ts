import * as d3 from 'd3';
import { colourOf } from '../palette.ts';
import type { ChordData } from './query.ts';

/** Chord diagram: one arc per busy host, ribbons by bytes between each pair; a click on an arc reports it. */
export function renderChord(
  svgEl: SVGSVGElement,
  data: ChordData,
  size: number,
  onhost: (label: string, i: number) => void,
): void {
  const svg = d3.select(svgEl);
  svg.selectAll('*').remove();
  svg
    .attr('width', size)
    .attr('height', size)
    .attr('viewBox', `${-size / 2} ${-size / 2} ${size} ${size}`);
  if (data.labels.length === 0) return;
  const outer = size / 2 - 110;
  const inner = outer - 14;
  const chords = d3.chord().padAngle(0.03).sortSubgroups(d3.descending)(data.matrix);
  const colour = (i: number) => colourOf(data.labels[i] ?? null);
  svg
    .append('g')
    .attr('fill-opacity', 0.7)
    .selectAll('path')
    .data(chords)
    .join('path')
    .attr('d', d3.ribbon<d3.Chord, d3.ChordSubgroup>().radius(inner) as unknown as string)
    .attr('fill', (d) => colour(d.source.index))
    .attr('stroke', '#fff')
    .append('title')
    .text(
      (d) =>
        `${data.labels[d.source.index]} ↔ ${data.labels[d.target.index]}: ${d3.format(',')(d.source.value)} bytes`,
    );
  const group = svg.append('g').selectAll('g').data(chords.groups).join('g').attr('class', 'arc');
  group
    .append('path')
    .attr('d', d3.arc<d3.ChordGroup>().innerRadius(inner).outerRadius(outer) as unknown as string)
    .attr('fill', (d) => colour(d.index))
    .style('cursor', 'pointer')
    .on('click', (_ev, d) => onhost(data.labels[d.index] ?? '', d.index));
  group
    .append('text')
    .each((d) => ((d as d3.ChordGroup & { angle: number }).angle = (d.startAngle + d.endAngle) / 2))
    .attr('dy', '0.35em')
    .attr('transform', (d) => {
      const a = (d as d3.ChordGroup & { angle: number }).angle;
      return `rotate(${(a * 180) / Math.PI - 90}) translate(${outer + 6}) ${a > Math.PI ? 'rotate(180)' : ''}`;
    })
    .attr('text-anchor', (d) => ((d as d3.ChordGroup & { angle: number }).angle > Math.PI ? 'end' : 'start'))
    .text((d) => data.labels[d.index] ?? '');
}
