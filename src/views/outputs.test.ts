import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from './graph-model.js';
import { toDot } from './dot.js';
import { toGexf } from './gexf.js';
import { toGraphJson } from './graph-json.js';
import { chordData, chordSvg } from './chord.js';
import { matrixCsv, matrixData, matrixSvg } from './matrix.js';
import { timelineFromFlows, timelineSvg } from './timeline.js';
import { checkXml } from './xml-check.js';
import { csvCell, dotString, xmlEscape } from './escape.js';
import { flowRow, hostRow, HOSTILE } from './test-rows.js';
import { dotToSvg } from '../cli/render/graphviz.js';
import { svgToPng } from '../cli/render/png.js';

const flows = [
  flowRow({
    src_ip: '10.0.0.1',
    dst_ip: '10.0.0.2',
    app: HOSTILE,
    src_mac: '00:00:00:00:00:01',
    dst_mac: '00:00:00:00:00:02',
  }),
  flowRow({ src_ip: '10.0.0.2', dst_ip: '10.0.0.3', last_ts: '2024-01-01T00:00:09.500000Z' }),
  flowRow({ src_ip: '2001:db8::1', dst_ip: '2001:db8::2' }),
];
const hosts = [
  hostRow('10.0.0.1', [HOSTILE, 'plain.example']),
  hostRow('10.0.0.2', ['x"];n9 [label="pwned']),
];

/** No raw markup and no control character survived. */
function assertInert(text: string): void {
  assert.doesNotMatch(text, /<script/i);
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
}

test('escaping primitives', () => {
  assert.equal(xmlEscape('<a href="x">&\'</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  assert.equal(xmlEscape('\u001b[31m'), '\\x1b[31m');
  assert.equal(xmlEscape('bad \ud800 surrogate'), 'bad \ufffd surrogate');
  assert.equal(dotString('a"b\\c&d\ne'), '"a\\"b\\\\c&amp;d\\ne"');
  assert.equal(csvCell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvCell('-12.5'), '-12.5');
});

test('DOT with hostile labels parses in Graphviz and the SVG is well-formed and inert', async () => {
  const m = buildGraph(flows, hosts);
  const dot = toDot(m, { shape: 'box' });
  // one node statement per node: the quote in a name did not open a new statement
  assert.equal((dot.match(/^ {2}n\d+ \[/gm) ?? []).length, m.nodes.length);
  assert.doesNotMatch(dot, /\u001b/);
  const svg = await dotToSvg(dot, 'dot');
  const check = checkXml(svg);
  assert.ok(check.ok, check.error ?? '');
  assert.equal(check.root, 'svg');
  assertInert(svg);
  assert.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  // the literal "&amp;" of the name survives as text (Graphviz would otherwise decode it to "&")
  assert.match(svg, /&amp;amp;/);
  assert.match(svg, /x&quot;\];n9 \[label=&quot;pwned/);
  for (const engine of ['neato', 'fdp', 'sfdp', 'circo', 'twopi'] as const) {
    assert.ok(checkXml(await dotToSvg(dot, engine)).ok, engine);
  }
  await assert.rejects(dotToSvg('digraph { a -> ', 'dot'), { code: 'E_LIMIT' });
});

test('PNG from the Graphviz SVG has the PNG signature and the asked width', async () => {
  const svg = await dotToSvg(toDot(buildGraph(flows, hosts)), 'dot');
  const png = svgToPng(svg, { width: 640 });
  assert.deepEqual([...png.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.data.readUInt32BE(16), 640);
  assert.equal(png.data.readUInt32BE(20), png.height);
  assert.equal(png.width, 640);
});

test('GEXF and JSON with hostile labels', () => {
  const m = buildGraph(flows, hosts);
  const gexf = toGexf(m);
  const check = checkXml(gexf);
  assert.ok(check.ok, check.error ?? '');
  assert.equal(check.root, 'gexf');
  assertInert(gexf);
  const json = JSON.parse(toGraphJson(m)) as { nodes: { names: string[] }[]; edges: unknown[] };
  assert.equal(json.edges.length, 3);
  assert.ok(json.nodes.some((n) => n.names.includes(HOSTILE)));
});

test('chord, matrix and timeline SVGs are well-formed with hostile labels', () => {
  const hostileFlows = [...flows, flowRow({ src_ip: HOSTILE, dst_ip: '10.0.0.1' })];
  const m = buildGraph(hostileFlows, hosts);
  const chord = chordSvg(chordData(m, 3), 600);
  const matrix = matrixData(m, 3);
  const timeline = timelineSvg(timelineFromFlows(hostileFlows, { host: '10.0.0.2' }), 800, 240);
  for (const svg of [chord, matrixSvg(matrix, 600), timeline]) {
    const check = checkXml(svg);
    assert.ok(check.ok, check.error ?? '');
    assertInert(svg);
    // resvg reads it too (a second, independent parser)
    assert.ok(svgToPng(svg).width > 0);
  }
  assert.equal(matrix.labels.length, 4);
  assert.match(matrix.labels[3]!, /^other \(3\)$/);
  const csv = matrixCsv(matrix);
  assert.equal(csv.trim().split('\r\n').length, 5);
  assert.doesNotMatch(csv, /\u001b/);
});

test('chord matrix is symmetric and accounts for all bytes', () => {
  const m = buildGraph(flows, hosts);
  const d = chordData(m, 2);
  const total = m.edges.reduce((s, e) => s + e.bytes_ab + e.bytes_ba, 0);
  let sum = 0;
  d.matrix.forEach((row, i) => row.forEach((v, j) => (sum += j >= i ? v : 0)));
  assert.equal(sum, total);
  d.matrix.forEach((row, i) => row.forEach((v, j) => assert.equal(v, d.matrix[j]![i])));
});

test('timeline spreads a flow over its lifetime and keeps the totals', () => {
  const f = flowRow({
    src_ip: '10.0.0.1',
    dst_ip: '10.0.0.2',
    first_ts: '2024-01-01T00:00:00.000000Z',
    last_ts: '2024-01-01T00:00:10.000000Z',
    bytes_fwd: 1000,
    bytes_rev: 0,
    packets_fwd: 10,
    packets_rev: 0,
  });
  const d = timelineFromFlows([f], { maxBins: 10 });
  assert.equal(d.step, 1);
  assert.equal(d.bytes.length, 11);
  assert.ok(Math.abs(d.bytes.reduce((s, v) => s + v, 0) - 1000) < 1e-6);
  assert.ok(Math.abs(d.bytes[3]! - 100) < 1e-6);
  assert.equal(timelineFromFlows([f], { host: '10.9.9.9' }).flows, 0);
});

test('xml checker rejects what it must', () => {
  for (const bad of [
    '<a>',
    '<a></b>',
    '<a x=1/>',
    '<a>&foo;</a>',
    '<a>]]></a>',
    '<a/><b/>',
    '<a x="1" x="2"/>',
    '<a>\u0001</a>',
  ]) {
    assert.equal(checkXml(bad).ok, false, bad);
  }
  assert.ok(
    checkXml('<?xml version="1.0"?><!DOCTYPE a><a x=\'1\'><!-- c --><![CDATA[<]]>&#x41;&amp;</a>').ok,
  );
});
