import * as d3 from 'd3';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
// bundled with the UI: the map never comes from the network
import world from 'world-atlas/countries-110m.json';
import type { GeoArc, GeoPoint } from './query.ts';

/**
 * World map (Natural Earth 1:110m) with one circle per located host, area by bytes, and arcs for the traffic
 * between them (great circles), or between a host and the capture's own unlocated network (private
 * addresses), drawn from a marked anchor in the corner rather than from a made-up place.
 */
export function renderMap(
  svgEl: SVGSVGElement,
  points: readonly GeoPoint[],
  arcs: readonly GeoArc[],
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
  const at = new Map(points.map((p) => [p.ip, projection([p.lon, p.lat]) ?? null]));
  const anchor: [number, number] = [60, height - 34];
  const maxArc = Math.max(1, ...arcs.map((a) => a.bytes));
  const arcWidth = (a: GeoArc) => 0.6 + 3.5 * Math.sqrt(a.bytes / maxArc);
  const arcPath = (a: GeoArc): string => {
    const pa = a.src ? at.get(a.src) : anchor;
    const pb = a.dst ? at.get(a.dst) : anchor;
    const src = points.find((p) => p.ip === a.src);
    const dst = points.find((p) => p.ip === a.dst);
    if (src && dst)
      return (
        path({
          type: 'LineString',
          coordinates: [
            [src.lon, src.lat],
            [dst.lon, dst.lat],
          ],
        }) ?? ''
      );
    if (!pa || !pb) return '';
    // a bowed curve from the anchor: its control point lifted above the chord's middle
    const mx = (pa[0] + pb[0]) / 2;
    const my = (pa[1] + pb[1]) / 2 - Math.hypot(pb[0] - pa[0], pb[1] - pa[1]) * 0.25;
    return `M${pa[0]},${pa[1]}Q${mx},${my} ${pb[0]},${pb[1]}`;
  };
  svg
    .append('g')
    .attr('class', 'arcs')
    .selectAll('path')
    .data(arcs)
    .join('path')
    .attr('class', 'arc')
    .attr('d', arcPath)
    .attr('fill', 'none')
    .attr('stroke', (a) => (a.src && a.dst ? 'rgba(122,82,184,0.55)' : 'rgba(36,98,201,0.45)'))
    .attr('stroke-width', arcWidth)
    .append('title')
    .text(
      (a) =>
        `${a.src ?? 'not located'} ↔ ${a.dst ?? 'not located'}\n${d3.format(',')(a.bytes)} bytes, ${a.flows} flows`,
    );
  if (arcs.some((a) => a.src === null || a.dst === null)) {
    const g = svg.append('g').attr('class', 'anchor');
    g.append('rect')
      .attr('x', anchor[0] - 52)
      .attr('y', anchor[1] - 8)
      .attr('width', 104)
      .attr('height', 30)
      .attr('rx', 4)
      .attr('fill', '#fff')
      .attr('stroke', '#2462c9');
    g.append('circle').attr('cx', anchor[0]).attr('cy', anchor[1]).attr('r', 4).attr('fill', '#2462c9');
    g.append('text')
      .attr('x', anchor[0])
      .attr('y', anchor[1] + 16)
      .attr('text-anchor', 'middle')
      .text('not located (private)');
  }
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
