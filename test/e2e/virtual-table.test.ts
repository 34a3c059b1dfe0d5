/**
 * The virtualised tables in a real browser (Debian's Chromium through playwright-core): a capture of 20,000
 * sessions keeps fewer than 200 row elements in the DOM at the top, the middle and the end, and the rows shown
 * at each scroll position are the API's rows at that offset; sorting is the server's; a click and the
 * keyboard drill down. Then the workspace's export link: a DNS-field filter downloads the sessions' frames,
 * a bad filter shows its error in the page and downloads nothing. Screenshots go to test/artifacts/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ingestFiles } from '../../src/engine/ingest.js';
import { buildApp, type App } from '../../src/server/app.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { writeManyFlows } from './many-flows.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UI_DIR = join(ROOT, 'dist/ui');
const ARTIFACTS = join(ROOT, 'test/artifacts');
const DNS_FIXTURE = join(ROOT, 'test/fixtures/seed-pcapviz-project-test3.pcap');
const CHROMIUM = process.env.PCAPLENS_CHROMIUM ?? '/usr/bin/chromium';
const FLOWS = 20_000;

let dir: string;
let store: Store;
let server: App;
let base: string;
let browser: Browser;
let page: Page;
let many: number;
let dnsCapture: number;
const pageErrors: string[] = [];

async function api<T>(path: string): Promise<T> {
  const r = await fetch(`${base}/api${path}`);
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return (await r.json()) as T;
}

/** Loads the page afresh (a hash change alone keeps the table's sort and scroll position). */
async function open(hash: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${base}/#${hash}`);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

const SCROLL = '[data-testid=table-flows-scroll]';

/** Every row element of the table, and the rows with data: [row number, first cell's raw value]. */
async function shown(): Promise<{ rowElements: number; rows: [number, string][] }> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } })
      .document;
    const rows = Array.from(doc.querySelectorAll('[data-testid=table-flows] tbody tr[data-key]')) as {
      getAttribute(n: string): string | null;
    }[];
    return {
      rowElements: doc.querySelectorAll('[data-testid=table-flows] tr').length,
      rows: rows.map(
        (r) => [Number(r.getAttribute('data-row')), r.getAttribute('data-key') ?? ''] as [number, string],
      ),
    };
  });
}

/** Scrolls the table to a fraction of its height and waits until the rows there are loaded. */
async function scrollTo(fraction: number): Promise<void> {
  await page.locator(SCROLL).evaluate((el, f) => {
    const e = el as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number };
    e.scrollTop = (e.scrollHeight - e.clientHeight) * f;
  }, fraction);
  await page.waitForFunction(
    ({ sel, f }) => {
      interface El {
        scrollTop: number;
        scrollHeight: number;
        clientHeight: number;
        querySelector(s: string): El | null;
        querySelectorAll(s: string): ArrayLike<El>;
        getBoundingClientRect(): { top: number; bottom: number };
        hasAttribute(n: string): boolean;
      }
      const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null } }).document;
      const el = doc.querySelector(sel);
      if (!el) return false;
      if (Math.abs(el.scrollTop - (el.scrollHeight - el.clientHeight) * f) > 2) return false;
      if (el.querySelector('tr[data-pending]')) return false;
      // the rows in view are rendered (not the spacers of an older window) and loaded
      const view = el.getBoundingClientRect();
      const head = el.querySelector('thead th')!.getBoundingClientRect();
      const inView = Array.from(el.querySelectorAll('tbody tr')).filter((r) => {
        const b = r.getBoundingClientRect();
        return b.bottom > head.bottom + 1 && b.top < view.bottom - 1;
      });
      return inView.length > 0 && inView.every((r) => r.hasAttribute('data-key'));
    },
    { sel: SCROLL, f: fraction },
  );
}

/** The rows shown equal the API's rows at their offsets (same sort). */
async function assertRowsMatchApi(sort: string, label: string): Promise<[number, string][]> {
  const { rowElements, rows } = await shown();
  assert.ok(rows.length > 10, `${label}: rows are shown`);
  assert.ok(rowElements < 200, `${label}: ${rowElements} row elements`);
  const from = rows[0]![0];
  // consecutive row numbers
  rows.forEach(([n], k) => assert.equal(n, from + k, `${label}: row numbers are consecutive`));
  const want = await api<{ rows: { id: number }[]; total: number }>(
    `/captures/${many}/flows?limit=${rows.length}&offset=${from}${sort ? `&sort=${encodeURIComponent(sort)}` : ''}`,
  );
  assert.equal(want.total, FLOWS);
  assert.deepEqual(
    rows.map(([, key]) => Number(key)),
    want.rows.map((r) => r.id),
    `${label}: the rows at offset ${from} are the API's`,
  );
  return rows;
}

before(async () => {
  if (!existsSync(join(UI_DIR, 'index.html'))) {
    const r = spawnSync('npm', ['run', 'build:ui'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'npm run build:ui failed');
  }
  await mkdir(ARTIFACTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-vtable-'));
  const capture = join(dir, 'many-sessions.pcap');
  await writeManyFlows(capture, FLOWS);
  store = await openStore(undefined, join(dir, 'data'));
  many = (await ingestFiles(store, join(dir, 'data'), [capture])).id;
  dnsCapture = (await ingestFiles(store, join(dir, 'data'), [DNS_FIXTURE])).id;
  server = await buildApp({ store, dataDir: join(dir, 'data'), ingest: ingestFiles, uiDir: UI_DIR });
  base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // failed requests are judged below by their URL
    if (m.type() === 'error' && !/status of 40[04]/.test(m.text())) pageErrors.push(m.text());
  });
  page.on('response', (r) => {
    // 400 is the filter bar's answer to a bad filter (asked for on purpose)
    const expected = r.status() === 400;
    if (r.status() >= 400 && !expected) pageErrors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.route('**/*', (route) =>
    route.request().url().startsWith(base) ? route.continue() : route.abort('blockedbyclient'),
  );
});

after(async () => {
  await browser?.close();
  await server?.app.close();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('20,000 sessions: few row elements at the top, middle and end, each the API row at its offset', async () => {
  await open(`/c/${many}/flows`);
  await page.locator(`[data-testid=table-flows-total][data-total="${FLOWS}"]`).waitFor();
  await page.locator('[data-testid=table-flows] tr[data-key]').first().waitFor();
  const top = await assertRowsMatchApi('', 'top');
  assert.equal(top[0]![0], 0);
  await shot('vtable-top');

  await scrollTo(0.5);
  const mid = await assertRowsMatchApi('', 'middle');
  assert.ok(mid[0]![0] > FLOWS * 0.4 && mid[0]![0] < FLOWS * 0.6, `middle starts at ${mid[0]![0]}`);
  await shot('vtable-middle');

  await scrollTo(1);
  const end = await assertRowsMatchApi('', 'end');
  assert.equal(end[end.length - 1]![0], FLOWS - 1, 'the last row is shown at the end');
  await shot('vtable-end');
  // the total stays shown
  assert.match(await page.locator('[data-testid=table-flows-total]').innerText(), /20,000 rows/);
});

test('a header click sorts on the server; the rows are the API sorted rows, also scrolled', async () => {
  await open(`/c/${many}/flows`);
  await page.locator('[data-testid=table-flows] tr[data-key]').first().waitFor();
  await page.locator('[data-testid=table-flows] th[data-key=bytes]').click();
  await page.waitForFunction(() => {
    const doc = (
      globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
    ).document;
    return (
      /▼/.test(doc.querySelector('[data-testid=table-flows] th[data-key=bytes]')?.textContent ?? '') &&
      !doc.querySelector('[data-testid=table-flows] tr[data-pending]')
    );
  });
  // the first rows: wait until the re-sorted block replaced the old one
  const want = await api<{ rows: { id: number }[] }>(`/captures/${many}/flows?limit=1&sort=-bytes`);
  await page.locator(`[data-testid=table-flows] tr[data-row="0"][data-key="${want.rows[0]!.id}"]`).waitFor();
  await assertRowsMatchApi('-bytes', 'sorted top');
  await scrollTo(0.73);
  await assertRowsMatchApi('-bytes', 'sorted scrolled');
  await shot('vtable-sorted');
});

test('keyboard: arrows move the selection, Enter drills down; a click drills down', async () => {
  await open(`/c/${many}/flows`);
  await page.locator('[data-testid=table-flows] tr[data-key]').first().waitFor();
  await page.locator(SCROLL).focus();
  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  const active = page.locator('[data-testid=table-flows] tr.active');
  assert.equal(await active.getAttribute('data-row'), '1');
  // far down with the keyboard: the selection stays in view and in the DOM
  for (let k = 0; k < 60; k++) await page.keyboard.press('ArrowDown');
  await page.locator('[data-testid=table-flows] tr.active[data-row="61"]').waitFor();
  assert.ok(await page.locator('[data-testid=table-flows] tr.active').isVisible());
  const want = await api<{ rows: { id: number }[] }>(`/captures/${many}/flows?limit=1&offset=61`);
  await page.locator(`[data-testid=table-flows] tr.active[data-key="${want.rows[0]!.id}"]`).waitFor();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (id) => (globalThis as unknown as { location: { hash: string } }).location.hash.includes(`/flow/${id}`),
    want.rows[0]!.id,
  );
  await page.locator('[data-testid=session-page]').waitFor();

  await open(`/c/${many}/flows`);
  await scrollTo(0.25);
  const { rows } = await shown();
  const [, id] = rows[5]!;
  await page.locator(`[data-testid=table-flows] tr[data-key="${id}"]`).click();
  await page.waitForFunction(
    (i) => (globalThis as unknown as { location: { hash: string } }).location.hash.includes(`/flow/${i}`),
    id,
  );
});

test('export with a DNS-field filter downloads the sessions as pcap; a bad filter is shown, not saved', async () => {
  const filter = 'dns.query_name contains "google"';
  await open(`/c/${dnsCapture}/dns?filter=${encodeURIComponent(filter)}`);
  await page.locator('[data-testid=table-dns-total]').waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid=export-pcap]').click(),
  ]);
  const path = join(dir, 'dl.pcap');
  await download.saveAs(path);
  const bytes = await readFile(path);
  // a pcap file (microsecond magic, either byte order), not a JSON error
  assert.ok(
    ['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d'].includes(bytes.subarray(0, 4).toString('hex')),
    `pcap magic, got ${bytes.subarray(0, 16).toString()}`,
  );
  const direct = await fetch(
    `${base}/api/captures/${dnsCapture}/export.pcap?filter=${encodeURIComponent(filter)}`,
  );
  assert.deepEqual(new Uint8Array(await direct.arrayBuffer()), new Uint8Array(bytes));
  assert.ok(bytes.length > 24 + 16, 'frames were exported');
  await page.locator('[data-testid=export-note]').waitFor();
  await shot('export-dns-sessions');

  // an expression the exporter cannot apply: the message is in the page and nothing is downloaded
  let downloads = 0;
  page.on('download', () => downloads++);
  await open(`/c/${dnsCapture}/dns?filter=${encodeURIComponent('dns.query_nme contains "x"')}`);
  await page.locator('[data-testid=table-dns-error]').waitFor();
  await page.locator('[data-testid=export-pcap]').click();
  const err = page.locator('[data-testid=export-error]');
  await err.waitFor();
  assert.match(await err.innerText(), /Cannot export: .*unknown field dns\.query_nme/);
  await page.waitForTimeout(500);
  assert.equal(downloads, 0);
  await shot('export-error');
  assert.deepEqual(pageErrors, []);
});
