/** GEXF 1.3 (Gephi) for a graph model. Every capture string is XML-escaped; ids are generated. */
import type { GraphModel } from './graph-types.js';
import { xmlEscape } from './escape.js';
import { graphTitle, nodeColour, edgeColour } from './graph-style.js';

const NODE_ATTRS = [
  ['kind', 'string'],
  ['address', 'string'],
  ['names', 'string'],
  ['packets_out', 'long'],
  ['bytes_out', 'long'],
  ['packets_in', 'long'],
  ['bytes_in', 'long'],
  ['peers', 'integer'],
  ['classes', 'string'],
  ['grouped_members', 'integer'],
] as const;
const EDGE_ATTRS = [
  ['packets_ab', 'long'],
  ['bytes_ab', 'long'],
  ['packets_ba', 'long'],
  ['bytes_ba', 'long'],
  ['protocols', 'string'],
  ['apps', 'string'],
  ['classes', 'string'],
] as const;

function rgb(hex: string): string {
  const v = parseInt(hex.slice(1, 7), 16);
  return `r="${(v >> 16) & 255}" g="${(v >> 8) & 255}" b="${v & 255}"`;
}

function attvalues(values: readonly (string | number)[]): string {
  return (
    '<attvalues>' +
    values.map((v, i) => `<attvalue for="${i}" value="${xmlEscape(String(v))}"/>`).join('') +
    '</attvalues>'
  );
}

export function toGexf(m: GraphModel): string {
  const ids = new Map<string, string>();
  m.nodes.forEach((n, i) => ids.set(n.id, `n${i}`));
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">');
  out.push(
    `  <meta><creator>pcaplens</creator><description>${xmlEscape(graphTitle(m))}</description></meta>`,
  );
  out.push('  <graph defaultedgetype="directed" mode="static">');
  const decl = (cls: string, list: readonly (readonly [string, string])[]): string =>
    `    <attributes class="${cls}">` +
    list.map(([t, ty], i) => `<attribute id="${i}" title="${t}" type="${ty}"/>`).join('') +
    '</attributes>';
  out.push(decl('node', NODE_ATTRS));
  out.push(decl('edge', EDGE_ATTRS));
  out.push('    <nodes>');
  for (const n of m.nodes) {
    const traffic = n.bytes_in + n.bytes_out;
    out.push(
      `      <node id="${ids.get(n.id)}" label="${xmlEscape(n.label)}">` +
        attvalues([
          n.kind,
          n.label,
          n.names.join(', '),
          n.packets_out,
          n.bytes_out,
          n.packets_in,
          n.bytes_in,
          n.peers,
          n.classes.join(','),
          n.grouped?.members ?? 0,
        ]) +
        `<viz:color ${rgb(nodeColour(n))}/><viz:size value="${(4 + Math.log1p(traffic)).toFixed(2)}"/></node>`,
    );
  }
  out.push('    </nodes>');
  out.push('    <edges>');
  m.edges.forEach((e, i) => {
    const reversed = e.flows_ab === 0 && e.flows_ba > 0;
    const type = e.flows_ab > 0 && e.flows_ba > 0 ? 'mutual' : 'directed';
    const src = ids.get(reversed ? e.b : e.a)!;
    const dst = ids.get(reversed ? e.a : e.b)!;
    out.push(
      `      <edge id="e${i}" source="${src}" target="${dst}" type="${type}" weight="${e.bytes_ab + e.bytes_ba}" label="${xmlEscape(
        (e.apps.length ? e.apps : e.protocols).join(','),
      )}">` +
        attvalues([
          e.packets_ab,
          e.bytes_ab,
          e.packets_ba,
          e.bytes_ba,
          e.protocols.join(','),
          e.apps.join(','),
          e.classes.join(','),
        ]) +
        `<viz:color ${rgb(edgeColour(e))}/></edge>`,
    );
  });
  out.push('    </edges>');
  out.push('  </graph>');
  out.push('</gexf>');
  return out.join('\n') + '\n';
}
