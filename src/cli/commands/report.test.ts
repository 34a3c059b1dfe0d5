import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_DIR } from '../../../test/golden/paths.js';
import { checkXml } from '../../views/xml-check.js';
import { MemoryStream } from '../io.js';
import { checkPage, chromiumAvailable, CHROMIUM_PATH } from '../render/headless-chromium.js';
import { reportCommand } from './report.js';

const CAPTURE = join(CORPUS_DIR, 'pcapxray-sample-mixed.pcap');
const skip = existsSync(CAPTURE) ? false : 'corpus not present';
const noChromium = chromiumAvailable() ? false : `${CHROMIUM_PATH} is not installed: browser check skipped`;

let reportDir: string | null = null;

async function makeReport(): Promise<string> {
  if (reportDir) return reportDir;
  const dir = join(mkdtempSync(join(tmpdir(), 'pcaplens-report-')), 'nested', 'rep');
  const io = { stdout: new MemoryStream(), stderr: new MemoryStream() };
  assert.equal(await reportCommand.run([CAPTURE, '-o', dir], io), 0);
  assert.equal(io.stdout.text, '');
  reportDir = dir;
  return dir;
}

test('report writes one self-contained index.html plus graphs/ and tables/', { skip }, async () => {
  const dir = await makeReport();
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<[^>]+\son[a-z]+\s*=/i);
  assert.doesNotMatch(html, /(src|href)\s*=\s*"(https?:|\/\/)/i);
  assert.doesNotMatch(html, /<link\b/i);
  for (const id of [
    'summary',
    'protocols',
    'hosts',
    'graph',
    'top',
    'conversations',
    'timeline',
    'dns',
    'http',
    'tls',
    'credentials',
    'files',
    'alerts',
  ]) {
    assert.match(html, new RegExp(`<section id="${id}">`), id);
  }
  // the graph is inline SVG, well-formed on its own
  const svg = /<div class="figure">(<svg[\s\S]*?<\/svg>)/.exec(html);
  assert.ok(svg);
  assert.ok(checkXml(svg[1]!).ok);
  const graphs = readdirSync(join(dir, 'graphs')).sort();
  assert.deepEqual(graphs, ['chord.svg', 'matrix.svg', 'timeline.svg', 'traffic.png', 'traffic.svg']);
  const tables = readdirSync(join(dir, 'tables'));
  for (const t of [
    'summary.json',
    'flows.csv',
    'flows.json',
    'hosts.csv',
    'hosts.json',
    'graph.json',
    'matrix.csv',
  ]) {
    assert.ok(tables.includes(t), t);
  }
  const summary = JSON.parse(readFileSync(join(dir, 'tables', 'summary.json'), 'utf8')) as {
    packets: number;
  };
  assert.match(html, new RegExp(`<dt>Packets</dt><dd>${summary.packets.toLocaleString('en-US')}</dd>`));
});

test('report refuses to overwrite without --force', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-report-'));
  writeFileSync(join(dir, 'index.html'), 'keep');
  const io = { stdout: new MemoryStream(), stderr: new MemoryStream() };
  await assert.rejects(reportCommand.run([CAPTURE, '-o', dir], io), { code: 'E_EXISTS' });
  assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), 'keep');
});

test('report opens in headless Chromium without console errors', { skip: skip || noChromium }, async () => {
  const dir = await makeReport();
  const r = await checkPage(join(dir, 'index.html'), [
    'document.querySelectorAll("section").length',
    'document.querySelectorAll("svg").length',
    'document.title',
  ]);
  assert.deepEqual(r.problems, []);
  assert.ok((r.values[0] as number) >= 13);
  assert.ok((r.values[1] as number) >= 3);
  assert.match(String(r.values[2]), /^pcaplens report: pcapxray-sample-mixed\.pcap$/);
});

test('the browser check does see a blocked external load (control)', { skip: noChromium }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-control-'));
  const page = join(dir, 'bad.html');
  writeFileSync(
    page,
    `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head>` +
      `<body><img src="https://example.invalid/x.png"></body></html>`,
  );
  const r = await checkPage(page);
  assert.ok(r.problems.length > 0, 'a CSP refusal must be reported');
});
