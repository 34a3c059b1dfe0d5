/**
 * Hostile strings from a capture (hostile-capture.ts) through every output: CSV stays formula-safe, the terminal
 * table and the CLI's stdout/stderr carry no raw control character, JSON parses back to the same values, the
 * HTML report interprets nothing (checked by a tag scanner and in headless Chromium), DOT renders with the names
 * as plain labels and GEXF/SVG stay well-formed XML.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFiles } from '../../src/engine/analyze-files.js';
import { csvRows } from '../../src/cli/format/csv.js';
import { renderTable } from '../../src/cli/format/table.js';
import { MemoryStream } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { writeReport } from '../../src/cli/commands/report.js';
import { checkPage, chromiumAvailable } from '../../src/cli/render/headless-chromium.js';
import { dotToSvg } from '../../src/cli/render/graphviz.js';
import { buildGraph } from '../../src/views/graph-model.js';
import { toDot } from '../../src/views/dot.js';
import { toGexf } from '../../src/views/gexf.js';
import { toGraphJson } from '../../src/views/graph-json.js';
import { checkXml } from '../../src/views/xml-check.js';
import type { HostRow } from '../../src/shared/rows.js';
import { analyzeBytes, type AppRows } from './analyze-bytes.js';
import {
  ESC_CLEAR,
  FILE_NAMES,
  FORMULAS,
  IMG,
  OSC52,
  RAW_CONTROLS,
  SCRIPT,
  hostileCapture,
} from './hostile-capture.js';

const bytes = hostileCapture();
const dir = mkdtempSync(join(tmpdir(), 'pcaplens-hostile-'));
// the file name is attacker-chosen too (an upload, a shared evidence folder)
const capName = `=HYPERLINK(1)<img src=x onerror=alert(9)>${ESC_CLEAR}.pcap`;
const capPath = join(dir, capName);
writeFileSync(capPath, bytes);
const analysed = analyzeBytes(bytes);

type Tables = Pick<AppRows, 'dns' | 'http' | 'tls' | 'credentials' | 'files'>;
async function tables(): Promise<Tables & { hosts: HostRow[] }> {
  const { rows, result } = await analysed;
  // host names come from DNS/TLS/HTTP once the engine joins them; give every host a hostile one now
  const hosts = result.hosts.map((h, i) => ({
    ...h,
    names: [
      { name: i % 2 ? `${SCRIPT}.h${i}` : `${IMG}${OSC52}h${i}`, source: 'dns' },
      { name: `"]; n9 [label="x${i}"]; //`, source: 'tls' },
    ],
  }));
  return { ...rows, hosts };
}

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
function formulaCells(csv: string): string[] {
  return parseCsv(csv)
    .flat()
    .filter((c) => c.length > 0 && '=+-@\t\r'.includes(c[0]!) && !PLAIN_NUMBER.test(c));
}

function csvOf(rows: readonly object[]): string {
  const recs = rows as Record<string, unknown>[];
  const cols = [...new Set(recs.flatMap((r) => Object.keys(r)))];
  return [...csvRows(cols, recs)].join('');
}

test('the hostile capture yields hostile rows in every app table', async () => {
  const t = await tables();
  const all = JSON.stringify(t);
  for (const s of [SCRIPT, ESC_CLEAR, FORMULAS[0]!])
    assert.ok(all.includes(JSON.stringify(s).slice(1, -1)), s);
  assert.ok(
    t.dns.length >= 8 && t.http.length >= 2 && t.tls.length >= 3,
    JSON.stringify([t.dns.length, t.http.length, t.tls.length]),
  );
  assert.ok(t.credentials.length >= 2 && t.files.length >= 2);
});

test('CSV: no cell starts a formula; the hostile text is kept after a quote', async () => {
  const t = await tables();
  let guarded = 0;
  for (const [name, rows] of Object.entries(t)) {
    const csv = csvOf(rows);
    assert.deepEqual(formulaCells(csv), [], name);
    guarded += parseCsv(csv)
      .flat()
      .filter((c) => /^'[=+\-@]/.test(c)).length;
  }
  assert.ok(guarded >= 6, `${guarded} guarded cells`);
});

test('terminal table: no raw control character reaches the screen', async () => {
  const t = await tables();
  let shown = 0;
  for (const [name, rows] of Object.entries(t)) {
    const recs = rows as unknown as Record<string, unknown>[];
    const cols = [...new Set(recs.flatMap((r) => Object.keys(r)))];
    const text = renderTable(cols, recs);
    const bad = text.replace(/\n/g, '').match(RAW_CONTROLS);
    assert.equal(bad, null, `${name}: ${JSON.stringify(bad?.[0])}`);
    if (text.includes('\\e[2J')) shown++;
  }
  // HTTP and credential values carry ESC as it came; it is shown, escaped (DNS names arrive escaped already)
  assert.ok(shown >= 2, `${shown} tables show the escape`);
});

test('JSON: rows survive a round trip unchanged', async () => {
  const t = await tables();
  assert.deepEqual(JSON.parse(JSON.stringify(t)), t);
});

test('CLI: summary/flows/hosts in every format with a hostile file name', async () => {
  for (const cmd of ['summary', 'flows', 'hosts']) {
    for (const format of ['table', 'csv', 'json']) {
      const io = { stdout: new MemoryStream(format === 'table'), stderr: new MemoryStream() };
      const code = await main([cmd, capPath, '--format', format], io);
      const where = `${cmd} --format ${format}`;
      assert.equal(code, 0, `${where}: ${io.stderr.text}`);
      for (const [stream, text] of [
        ['stdout', io.stdout.text],
        ['stderr', io.stderr.text],
      ] as const) {
        const bad = text.replace(/[\n\r]/g, '').match(RAW_CONTROLS);
        assert.equal(bad, null, `${where} ${stream}: ${JSON.stringify(bad?.[0])}`);
      }
      if (format === 'json') assert.doesNotThrow(() => JSON.parse(io.stdout.text), where);
      if (format === 'csv') assert.deepEqual(formulaCells(io.stdout.text), [], where);
    }
  }
  const io = { stdout: new MemoryStream(), stderr: new MemoryStream() };
  await main(['summary', capPath, '--format', 'json'], io);
  const s = JSON.parse(io.stdout.text) as { files: { name: string }[] };
  assert.equal(s.files[0]!.name, capPath, 'JSON keeps the name exactly');
});

test('CLI: app tables (dns, http, tls, credentials, files) in every format', async () => {
  for (const cmd of ['dns', 'http', 'tls', 'credentials', 'files']) {
    for (const format of ['table', 'csv', 'json']) {
      const io = { stdout: new MemoryStream(format === 'table'), stderr: new MemoryStream() };
      const code = await main([cmd, capPath, '--format', format], io);
      const where = `${cmd} --format ${format}`;
      assert.equal(code, 0, `${where}: ${io.stderr.text}`);
      for (const [stream, text] of [
        ['stdout', io.stdout.text],
        ['stderr', io.stderr.text],
      ] as const) {
        const bad = text.replace(/[\n\r]/g, '').match(RAW_CONTROLS);
        assert.equal(bad, null, `${where} ${stream}: ${JSON.stringify(bad?.[0])}`);
      }
      if (format === 'json') {
        const rows = JSON.parse(io.stdout.text) as unknown[];
        assert.ok(rows.length > 0, where);
      }
      if (format === 'csv') assert.deepEqual(formulaCells(io.stdout.text), [], where);
    }
  }
});

test('files --extract: every hostile name becomes a plain file inside the chosen folder', async () => {
  const base = mkdtempSync(join(tmpdir(), 'pcaplens-extract-'));
  const out = join(base, 'out');
  const io = { stdout: new MemoryStream(), stderr: new MemoryStream() };
  const code = await main(['files', capPath, '--extract', out, '--format', 'json'], io);
  assert.equal(code, 0, io.stderr.text);
  // nothing next to the folder, nothing below it but plain files
  assert.deepEqual(readdirSync(base), ['out']);
  const entries = readdirSync(out, { withFileTypes: true });
  assert.ok(
    entries.every((e) => e.isFile()),
    JSON.stringify(entries.map((e) => e.name)),
  );
  const names = entries.map((e) => e.name).filter((n) => n !== 'files.json');
  assert.ok(names.length >= FILE_NAMES.length, JSON.stringify(names));
  for (const n of names) {
    assert.ok(!n.startsWith('.') && !/[\/\\:\x00-\x1f\x7f-\x9f\u202e]/.test(n), JSON.stringify(n));
    assert.ok(!/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(n), n);
    assert.ok(Buffer.byteLength(n) <= 255, `${n.length} chars`);
  }
  assert.ok(!existsSync('/tmp/pcaplens-escape'));
  assert.equal(RAW_CONTROLS.exec(io.stderr.text.replace(/\n/g, '')), null);
});

/** Tags and attributes of an HTML document, by a scanner that honours quoted attribute values. */
function scanHtml(html: string): { tags: Map<string, number>; attrs: Set<string>; strayLt: number } {
  const tags = new Map<string, number>();
  const attrs = new Set<string>();
  let strayLt = 0;
  const body = html.replace(/<style>[\s\S]*?<\/style>/g, '');
  const tagRe = /<\/?([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/y;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '<') continue;
    if (body.startsWith('<!--', i)) {
      i = body.indexOf('-->', i);
      if (i < 0) break;
      continue;
    }
    if (body[i + 1] === '!' || body[i + 1] === '?') {
      // <?xml ...?>, <!DOCTYPE ...>
      i = body.indexOf('>', i);
      if (i < 0) break;
      continue;
    }
    tagRe.lastIndex = i;
    const m = tagRe.exec(body);
    if (!m) {
      strayLt++;
      continue;
    }
    const name = m[1]!.toLowerCase();
    tags.set(name, (tags.get(name) ?? 0) + 1);
    for (const a of m[2]!.matchAll(/\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g)) {
      attrs.add(a[1]!.toLowerCase());
      const v = (a[2] ?? a[3] ?? a[4] ?? '').toLowerCase();
      if (v.includes('javascript:')) attrs.add(`javascript-url in ${a[1]}`);
    }
    i = tagRe.lastIndex - 1;
  }
  return { tags, attrs, strayLt };
}

/** No active element, no event handler or javascript: URL, no stray markup. */
function assertInert(doc: string, what: string): void {
  const { tags, attrs, strayLt } = scanHtml(doc);
  assert.equal(strayLt, 0, `${what}: stray <`);
  for (const bad of ['script', 'img', 'iframe', 'object', 'embed', 'foreignobject', 'image', 'use']) {
    assert.equal(tags.get(bad) ?? 0, 0, `${what}: <${bad}>`);
  }
  assert.deepEqual(
    [...attrs].filter((a) => a.startsWith('on') || a.startsWith('javascript') || a === 'srcdoc'),
    [],
    what,
  );
}

let reportDir: string | null = null;
async function report(): Promise<string> {
  if (reportDir) return reportDir;
  const t = await tables();
  const r = await analyzeFiles([capPath]);
  const out = mkdtempSync(join(tmpdir(), 'pcaplens-hostile-report-'));
  await writeReport(
    out,
    join(out, 'index.html'),
    { ...r, ...t } as unknown as Parameters<typeof writeReport>[2],
    { maxNodes: 150, engine: 'dot', showSecrets: false },
  );
  reportDir = out;
  return out;
}

test('HTML report: capture strings become text, never elements or attributes', async () => {
  const out = await report();
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const { tags, attrs, strayLt } = scanHtml(html);
  assert.equal(strayLt, 0, 'every < in the document opens a real tag');
  for (const bad of ['script', 'img', 'iframe', 'object', 'embed', 'link', 'base', 'form']) {
    assert.equal(tags.get(bad) ?? 0, 0, `<${bad}> in the report`);
  }
  // ours: charset, Content-Security-Policy, viewport
  assert.equal(tags.get('meta'), 3);
  assert.deepEqual(
    [...attrs].filter((a) => a.startsWith('on') || a.startsWith('javascript') || a === 'srcdoc'),
    [],
  );
  // links go only to the report's own sections and side files
  const hrefs = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]!);
  assert.ok(hrefs.length > 0);
  assert.deepEqual(
    hrefs.filter((h) => !/^#[\w-]+$/.test(h) && !/^(tables|graphs)\/[\w.-]+$/.test(h)),
    [],
  );
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the script text is shown escaped');
  assert.equal(RAW_CONTROLS.exec(html.replace(/[\n\r\t]/g, '')), null, 'no raw control character');
  // secrets masked by default: the FTP password does not appear
  assert.ok(!html.includes("calc'!A0\\e]52"), 'password masked');
  for (const f of readdirSync(join(out, 'tables'))) {
    const text = readFileSync(join(out, 'tables', f), 'utf8');
    if (f.endsWith('.csv')) assert.deepEqual(formulaCells(text), [], f);
    if (f.endsWith('.json')) assert.doesNotThrow(() => JSON.parse(text), f);
  }
  for (const f of readdirSync(join(out, 'graphs')).filter((g) => g.endsWith('.svg'))) {
    const svg = readFileSync(join(out, 'graphs', f), 'utf8');
    assert.ok(checkXml(svg).ok, `${f}: ${checkXml(svg).error}`);
    assertInert(svg, f);
  }
});

test(
  'HTML report in headless Chromium: nothing from the capture runs or renders as markup',
  { skip: !chromiumAvailable() },
  async () => {
    const out = await report();
    const r = await checkPage(join(out, 'index.html'), [
      'document.querySelectorAll("script, img, iframe, object, embed, form, base, link").length',
      '[...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length',
      'document.body.innerText.includes("<script>alert(1)</script>")',
      'document.title',
      '[...document.querySelectorAll("a")].map((a) => a.getAttribute("href") ?? a.getAttribute("xlink:href")).filter((h) => h !== null && !/^(#|tables\\/|graphs\\/)/.test(h)).length',
    ]);
    assert.deepEqual(r.problems, []);
    assert.equal(r.values[0], 0);
    assert.equal(r.values[1], 0);
    assert.equal(r.values[2], true, 'the payload is visible as text');
    assert.ok(String(r.values[3]).includes('<img src=x onerror=alert(9)>'), String(r.values[3]));
    assert.equal(r.values[4], 0, 'links only to sections and side files');
  },
);

test('DOT, GEXF and graph JSON: hostile host names stay labels', async () => {
  const t = await tables();
  const { result } = await analysed;
  const model = buildGraph(result.flows, t.hosts);
  assert.ok(model.nodes.length > 0, 'graph has nodes');
  assert.ok(
    model.nodes.some((n) => n.names.some((x) => x.includes('<script>'))),
    JSON.stringify(model.nodes.slice(0, 2)),
  );
  const dot = toDot(model);
  assert.equal(RAW_CONTROLS.exec(dot.replace(/[\n\t]/g, '')), null, 'no raw control character in DOT');
  const svg = await dotToSvg(dot, 'dot');
  assert.ok(checkXml(svg).ok, String(checkXml(svg).error));
  assertInert(svg, 'dot svg');
  // one SVG node per graph node: an injected `n9 [label=...]` would add one
  assert.equal((svg.match(/class="node"/g) ?? []).length, model.nodes.length);
  assert.ok(svg.includes('&lt;script&gt;'), 'the name is drawn as text');
  const gexf = toGexf(model);
  const x = checkXml(gexf);
  assert.ok(x.ok, String(x.error));
  assert.ok(gexf.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  const json = JSON.parse(toGraphJson(model)) as { nodes: { names?: string[] }[] };
  assert.ok(json.nodes.some((n) => (n.names ?? []).some((s) => s.includes(SCRIPT))));
});
