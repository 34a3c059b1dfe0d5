import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../views/graph-model.js';
import { flowRow } from '../../views/test-rows.js';
import { checkXml } from '../../views/xml-check.js';
import { graphToSvg, svgArea } from './graph-svg.js';

test('a grouped hub graph that prism overlap removal blows up is laid out again compactly', async () => {
  // 50 clients talking to ~450 servers in two /24s, grouped to 200 nodes: two hub groups of degree 50.
  const flows = [];
  for (let i = 0; i < 1000; i++) {
    const s = (i * 7) % 450;
    flows.push(
      flowRow({
        src_ip: `10.0.0.${i % 50}`,
        dst_ip: `172.16.${Math.floor(s / 250)}.${s % 250}`,
        bytes_fwd: i,
      }),
    );
  }
  const m = buildGraph(flows, [], { maxNodes: 200 });
  assert.equal(m.nodes.length, 200);
  const svg = await graphToSvg(m, 'sfdp', { edgeLabels: false });
  assert.ok(checkXml(svg).ok);
  assert.ok(svgArea(svg) / m.nodes.length < 500_000, `area per node ${svgArea(svg) / m.nodes.length}`);
});
