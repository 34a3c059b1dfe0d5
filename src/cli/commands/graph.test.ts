import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CORPUS_DIR } from '../../../test/golden/paths.js';
import { readOracle } from '../../../test/golden/oracle.js';
import { checkXml } from '../../views/xml-check.js';
import { MemoryStream, type CliIo } from '../io.js';
import { graphCommand } from './graph.js';
import { topCommand } from './top.js';
import { chordCommand } from './chord.js';
import { matrixCommand } from './matrix.js';
import { timelineCommand } from './timeline.js';

const CAPTURE = join(CORPUS_DIR, 'seed-pcapviz-project-test1.pcap');
const ORACLE = join(CORPUS_DIR, 'oracle', 'seed-pcapviz-project-test1.pcap.txt');
const skip = existsSync(CAPTURE) ? false : 'corpus not present';

function io(): CliIo & { stdout: MemoryStream; stderr: MemoryStream } {
  return { stdout: new MemoryStream(), stderr: new MemoryStream() };
}

test('graph writes .dot .svg .png .json .gexf into new nested directories', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-graph-'));
  const oracle = readOracle(ORACLE);
  for (const ext of ['dot', 'svg', 'png', 'json', 'gexf']) {
    const out = join(dir, 'a', 'b', `g.${ext}`);
    const o = io();
    assert.equal(await graphCommand.run([CAPTURE, '-o', out, '--max-nodes', '0'], o), 0);
    assert.equal(o.stdout.text, '');
    assert.match(o.stderr.text, /wrote/);
    const data = readFileSync(out);
    if (ext === 'png') {
      assert.deepEqual([...data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.ok(data.readUInt32BE(16) > 100 && data.readUInt32BE(20) > 100);
    } else if (ext === 'svg' || ext === 'gexf') {
      const c = checkXml(data.toString('utf8'));
      assert.ok(c.ok, c.error ?? '');
    } else if (ext === 'json') {
      const g = JSON.parse(data.toString('utf8')) as { edges: unknown[]; grouping: unknown };
      assert.equal(g.edges.length, oracle.convIpv4.length + oracle.convIpv6.length);
      assert.equal(g.grouping, null);
    } else {
      assert.match(data.toString('utf8'), /^digraph pcaplens \{/);
    }
  }
});

test('graph refuses to overwrite without --force, and a relative path works', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-graph-'));
  const out = join(dir, 'x.dot');
  writeFileSync(out, 'keep');
  await assert.rejects(graphCommand.run([CAPTURE, '-o', out], io()), { code: 'E_EXISTS' });
  assert.equal(readFileSync(out, 'utf8'), 'keep');
  assert.equal(await graphCommand.run([CAPTURE, '-o', out, '--force'], io()), 0);
  assert.notEqual(readFileSync(out, 'utf8'), 'keep');
  const rel = relative(process.cwd(), join(dir, 'rel', 'y.dot'));
  assert.equal(await graphCommand.run([CAPTURE, '-o', rel, '--layer', '4', '--l4', 'service'], io()), 0);
  assert.ok(existsSync(join(dir, 'rel', 'y.dot')));
});

test('graph groups beyond --max-nodes and says so on stderr and in the picture', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-graph-'));
  const o = io();
  const out = join(dir, 'g.dot');
  assert.equal(await graphCommand.run([CAPTURE, '-o', out, '--max-nodes', '20'], o), 0);
  assert.match(o.stderr.text, /grouped: \d+ of \d+ nodes merged into \d+ group node\(s\) by subnet/);
  const dot = readFileSync(out, 'utf8');
  assert.match(dot, /label="layer 3 IP graph: \d+ nodes, \d+ edges; grouped:/);
  assert.ok((dot.match(/^ {2}n\d+ \[/gm) ?? []).length <= 20);
});

test('graph --group-by asn names the groups by autonomous system', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-graph-'));
  const out = join(dir, 'g.json');
  assert.equal(
    await graphCommand.run([CAPTURE, '-o', out, '--max-nodes', '30', '--group-by', 'asn'], io()),
    0,
  );
  const g = JSON.parse(readFileSync(out, 'utf8')) as { nodes: { kind: string; label: string }[] };
  const groups = g.nodes.filter((n) => n.kind === 'group').map((n) => n.label);
  // 173.194.40.x and 64.233.x in this capture are Google's (AS15169); private space stays by subnet
  assert.ok(
    groups.some((l) => /^AS15169 /.test(l)),
    groups.join('; '),
  );
  assert.ok(groups.includes('172.17.3.0/24'));
});

test('graph usage errors', { skip }, async () => {
  await assert.rejects(graphCommand.run([CAPTURE, '-o', 'x.txt'], io()), { code: 'E_USAGE' });
  await assert.rejects(graphCommand.run([CAPTURE], io()), { code: 'E_USAGE' });
  await assert.rejects(graphCommand.run([CAPTURE, '-o', 'x.svg', '--engine', 'bogus'], io()), {
    code: 'E_USAGE',
  });
  await assert.rejects(graphCommand.run([CAPTURE, '-o', 'x.svg', '--shape', 'box];x'], io()), {
    code: 'E_USAGE',
  });
  await assert.rejects(graphCommand.run([CAPTURE, '-o', 'x.svg', '--only', 'evil'], io()), {
    code: 'E_USAGE',
  });
  await assert.rejects(graphCommand.run([CAPTURE, '-o', 'x.svg', '--layer', '7'], io()), { code: 'E_USAGE' });
});

test('top --out by peers agrees with the oracle conversations', { skip }, async () => {
  const o = io();
  assert.equal(
    await topCommand.run([CAPTURE, '--out', '--by', 'peers', '-n', '3', '--format', 'json'], o),
    0,
  );
  const rows = JSON.parse(o.stdout.text) as { rank: number; node: string; value: number }[];
  assert.equal(rows.length, 3);
  // independently: distinct peers per address over tshark's IPv4/IPv6 conversations where it sent frames
  // first is not in the oracle, so check the weaker bound: peers out <= all peers in tshark's table
  const oracle = readOracle(ORACLE);
  const peers = new Map<string, Set<string>>();
  for (const c of [...oracle.convIpv4, ...oracle.convIpv6]) {
    (peers.get(c.a) ?? peers.set(c.a, new Set()).get(c.a)!).add(c.b);
    (peers.get(c.b) ?? peers.set(c.b, new Set()).get(c.b)!).add(c.a);
  }
  for (const r of rows) assert.ok(r.value <= peers.get(r.node)!.size, r.node);
  assert.ok(rows[0]!.value >= rows[1]!.value && rows[1]!.value >= rows[2]!.value);
  const csv = io();
  assert.equal(
    await topCommand.run([CAPTURE, '--in', '--by', 'bytes', '--format', 'csv', '--layer', '4'], csv),
    0,
  );
  assert.match(csv.stdout.text.split('\r\n')[0]!, /^rank,node,kind,names,value,/);
  await assert.rejects(topCommand.run([CAPTURE, '--in', '--out'], io()), { code: 'E_USAGE' });
});

test('chord, matrix and timeline write their files', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-views-'));
  assert.equal(await chordCommand.run([CAPTURE, '-o', join(dir, 'c.svg'), '-n', '8'], io()), 0);
  assert.ok(checkXml(readFileSync(join(dir, 'c.svg'), 'utf8')).ok);
  assert.equal(await chordCommand.run([CAPTURE, '-o', join(dir, 'c.png')], io()), 0);
  assert.equal(readFileSync(join(dir, 'c.png')).readUInt32BE(16), 800);
  assert.equal(await matrixCommand.run([CAPTURE, '-o', join(dir, 'm.csv'), '-n', '5'], io()), 0);
  const lines = readFileSync(join(dir, 'm.csv'), 'utf8').trim().split('\r\n');
  assert.equal(lines.length, 1 + 6); // header + 5 nodes + other
  assert.equal(await matrixCommand.run([CAPTURE, '-o', join(dir, 'm.svg')], io()), 0);
  assert.ok(checkXml(readFileSync(join(dir, 'm.svg'), 'utf8')).ok);
  const o = io();
  assert.equal(
    await timelineCommand.run([CAPTURE, '-o', join(dir, 't.json'), '--host', '172.17.3.118'], o),
    0,
  );
  const t = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')) as { flows: number; bytes: number[] };
  assert.ok(t.flows > 0);
  assert.equal(await timelineCommand.run([CAPTURE, '-o', join(dir, 't.svg')], io()), 0);
  assert.ok(checkXml(readFileSync(join(dir, 't.svg'), 'utf8')).ok);
  const all = JSON.parse(
    (await timelineCommand.run([CAPTURE, '-o', join(dir, 'all.json')], io()),
    readFileSync(join(dir, 'all.json'), 'utf8')),
  ) as { bytes: number[] };
  // every frame of an IP/ARP flow is counted once: the histogram total equals the flows' byte total
  const total = all.bytes.reduce((s, v) => s + v, 0);
  assert.ok(total > 0 && total <= readOracle(ORACLE).bytesOnWire + 1e-6);
});
