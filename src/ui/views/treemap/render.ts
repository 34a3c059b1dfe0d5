import * as d3 from 'd3';
import { colourOf } from '../palette.ts';
import type { TreeNode } from './query.ts';

/** Treemap network -> subnet -> host -> service, area by bytes; a click on a host reports it. */
export function renderTreemap(
  svgEl: SVGSVGElement,
  tree: TreeNode,
  width: number,
  height: number,
  onhost: (ip: string) => void,
): void {
  const svg = d3.select(svgEl);
  svg.selectAll('*').remove();
  svg.attr('width', width).attr('height', height);
  const root = d3
    .hierarchy<TreeNode>(tree)
    .sum((d) => (d.children ? 0 : d.value))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  d3
    .treemap<TreeNode>()
    .size([width, height])
    .paddingTop((d) => (d.depth > 0 && d.depth < 4 ? 13 : 0))
    .paddingInner(1)
    .round(true)(root);
  const rectOf = (d: d3.HierarchyNode<TreeNode>) => d as d3.HierarchyRectangularNode<TreeNode>;
  const groups = svg
    .selectAll('g')
    .data(root.descendants().filter((d) => d.depth > 0))
    .join('g')
    .attr('transform', (d) => `translate(${rectOf(d).x0},${rectOf(d).y0})`);
  groups
    .append('rect')
    .attr('width', (d) => Math.max(0, rectOf(d).x1 - rectOf(d).x0))
    .attr('height', (d) => Math.max(0, rectOf(d).y1 - rectOf(d).y0))
    .attr('class', (d) => `depth${d.depth}`)
    .attr('fill', (d) =>
      d.depth === 4 ? colourOf(d.data.name.split('/')[0] ?? null) : d.depth === 3 ? '#dfe6f1' : '#f2f4f8',
    )
    .attr('stroke', '#fff')
    .style('cursor', (d) => (d.depth >= 3 ? 'pointer' : 'default'))
    .on('click', (_ev, d) => {
      const host = d.depth === 4 ? d.parent : d;
      if (host && host.depth === 3) onhost(host.data.name);
    })
    .append('title')
    .text(
      (d) =>
        `${d
          .ancestors()
          .reverse()
          .slice(1)
          .map((a) => a.data.name)
          .join(' › ')}\n${d3.format(',')(d.value ?? 0)} bytes`,
    );
  groups
    .filter((d) => rectOf(d).x1 - rectOf(d).x0 > 40 && rectOf(d).y1 - rectOf(d).y0 > 12)
    .append('text')
    .attr('x', 3)
    .attr('y', 11)
    .style('pointer-events', 'none')
    .style('font-weight', (d) => (d.depth === 3 ? '600' : 'normal'))
    .text((d) => d.data.name);
}
