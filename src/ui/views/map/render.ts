import * as d3 from 'd3';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
// bundled with the UI: the map never comes from the network
import world from 'world-atlas/countries-110m.json';
import type { GeoPoint } from './query.ts';

/** World map (Natural Earth 1:110m) with one circle per located host, area by bytes. */
export function renderMap(
  svgEl: SVGSVGElement,
  points: readonly GeoPoint[],
  width: number,
  onhost: (ip: string) => void,
): void {
  const height = Math.round(width * 0.5);
  const svg = d3.select(svgEl);
  svg.selectAll('*').remove();
  svg.attr('width', width).attr('height', height);
  const topo = world as unknown as Topology<{ countries: GeometryCollection }>;
  const land = feature(topo, topo.objects.countries);
  const projection = d3.geoNaturalEarth1().fitSize([width, height], land);
  const path = d3.geoPath(projection);
  svg
    .append('path')
    .attr('d', path({ type: 'Sphere' }) ?? '')
    .attr('fill', '#eef3f9');
  svg
    .append('g')
    .selectAll('path')
    .data(land.features)
    .join('path')
    .attr('d', path)
    .attr('fill', '#d5dbe3')
    .attr('stroke', '#fff')
    .attr('stroke-width', 0.5);
  const max = Math.max(1, ...points.map((p) => p.bytes));
  svg
    .append('g')
    .selectAll('circle')
    .data(points)
    .join('circle')
    .attr('class', 'host')
    .attr('cx', (p) => projection([p.lon, p.lat])?.[0] ?? -10)
    .attr('cy', (p) => projection([p.lon, p.lat])?.[1] ?? -10)
    .attr('r', (p) => 2.5 + Math.sqrt(p.bytes / max) * 14)
    .attr('fill', 'rgba(224,123,0,0.6)')
    .attr('stroke', '#a35600')
    .style('cursor', 'pointer')
    .on('click', (_ev, p) => onhost(p.ip))
    .append('title')
    .text(
      (p) =>
        `${p.ip} ${[p.city, p.country].filter(Boolean).join(', ')} ${p.as_org ?? ''}\n${d3.format(',')(p.bytes)} bytes`,
    );
}
