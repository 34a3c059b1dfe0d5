/**
 * The web app in a real browser: Chromium (Debian's, driven by playwright-core) against `buildApp` listening on
 * 127.0.0.1. Uploads a capture through the page, waits for the ingest, opens every view and checks what it
 * shows against the API for the same filter; screenshots go to test/artifacts/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ingestFiles } from '../../src/engine/ingest.js';
import { buildApp, type App } from '../../src/server/app.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UI_DIR = join(ROOT, 'dist/ui');
const ARTIFACTS = join(ROOT, 'test/artifacts');
const FIXTURE = join(ROOT, 'test/fixtures/seed-pcapviz-project-test3.pcap');
const CHROMIUM = process.env.PCAPLENS_CHROMIUM ?? '/usr/bin/chromium';

let dir: string;
let store: Store;
let server: App;
let base: string;
let browser: Browser;
let page: Page;
let captureId: number;
const pageErrors: string[] = [];

async function api<T>(path: string): Promise<T> {
  const r = await fetch(`${base}/api${path}`);
  return (await r.json()) as T;
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

async function openView(view: string, query = ''): Promise<void> {
  await page.goto(`${base}/#/c/${captureId}/${view}${query}`);
}

before(async () => {
  if (!existsSync(join(UI_DIR, 'index.html'))) {
    const r = spawnSync('npm', ['run', 'build:ui'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'npm run build:ui failed');
  }
  await mkdir(ARTIFACTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-e2e-'));
  store = await openStore(undefined, dir);
  server = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: UI_DIR });
  base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // a 400 is what the filter bar's validation answers for a bad filter: the test asks for one on purpose
    if (m.type() === 'error' && !/status of 400/.test(m.text())) pageErrors.push(m.text());
  });
  // the page must never reach past our server (no CDN, no fonts)
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

test('upload through the page, live progress, then the capture is listed', async () => {
  await page.goto(base);
  await page.setInputFiles('[data-testid=file-input]', FIXTURE);
  const row = page.locator('[data-testid=captures] tr[data-capture-id]');
  await row.first().waitFor({ timeout: 30000 });
  captureId = Number(await row.first().getAttribute('data-capture-id'));
  const c = await api<{ packets: number; name: string }>(`/captures/${captureId}`);
  assert.equal(c.packets, 259);
  assert.match(await row.first().innerText(), /seed-pcapviz-project-test3\.pcap/);
  await shot('captures');
});

test('summary counts match the API', async () => {
  await openView('summary');
  await page.locator('[data-testid=view-summary]').waitFor();
  const sum = await api<{ counts: Record<string, number> }>(`/captures/${captureId}/summary`);
  for (const t of ['flows', 'hosts', 'packets']) {
    const shown = await page.locator(`a.count[data-table=${t}]`).getAttribute('data-count');
    assert.equal(Number(shown), sum.counts[t], t);
  }
  await page.locator('[data-testid=timeline-brush] g.series rect').first().waitFor({ state: 'attached' });
  await shot('summary');
});

test('hosts and sessions tables show the totals of the API; a row drills down', async () => {
  for (const [view, table] of [
    ['hosts', 'hosts'],
    ['flows', 'flows'],
  ]) {
    await openView(view!);
    const total = page.locator(`[data-testid=table-${table}-total]`);
    await total.waitFor();
    const want = await api<{ total: number }>(`/captures/${captureId}/${table}?limit=0`);
    assert.equal(Number(await total.getAttribute('data-total')), want.total, table);
    await shot(view!);
  }
  await page.locator('[data-testid=table-flows] tbody tr').first().click();
  await page.locator('[data-testid=session-page] dl').waitFor();
  await page.locator('[data-testid=session-packets-total]').waitFor();
  await shot('session');
});

test('the graph has as many nodes as the graph API, at layer 3 and 4', async () => {
  for (const layer of [3, 4]) {
    await openView('graph', `?layer=${layer}`);
    const canvas = page.locator('[data-testid=graph-canvas][data-nodes]');
    await canvas.waitFor();
    const g = await api<{ nodes: unknown[]; edges: unknown[] }>(
      `/captures/${captureId}/graph?layer=${layer}&limit=3000`,
    );
    assert.equal(Number(await canvas.getAttribute('data-nodes')), g.nodes.length, `layer ${layer}`);
    assert.equal(Number(await canvas.getAttribute('data-edges')), g.edges.length, `layer ${layer}`);
    await page.waitForTimeout(1500); // let the layout settle for the picture
    await shot(`graph-l${layer}`);
  }
});

test('a filter narrows every view; a bad filter is shown, not applied', async () => {
  // a host whose own traffic is a strict part of the graph
  const all = await api<{ nodes: unknown[] }>(`/captures/${captureId}/graph?layer=3&limit=3000`);
  const top = await api<{ ip: string }[]>(`/captures/${captureId}/top?n=10`);
  let filter = '';
  let g = all;
  for (const t of top) {
    filter = `ip.addr == ${t.ip}`;
    g = await api(`/captures/${captureId}/graph?layer=3&limit=3000&filter=${encodeURIComponent(filter)}`);
    if (g.nodes.length < all.nodes.length) break;
  }
  assert.ok(g.nodes.length < all.nodes.length && g.nodes.length > 0);
  const q = `filter=${encodeURIComponent(filter)}`;
  await openView('graph');
  await page.locator('[data-testid=graph-canvas][data-nodes]').waitFor();
  await page.fill('[data-testid=filter-input]', filter);
  await page.click('[data-testid=filter-apply]');
  await page.waitForFunction('location.hash.includes("filter=")');
  await page.locator(`[data-testid=graph-canvas][data-nodes="${g.nodes.length}"]`).waitFor();
  await page.waitForTimeout(1000);
  await shot('graph-filtered');

  await page.click('[data-view=flows]');
  const flows = await api<{ total: number }>(`/captures/${captureId}/flows?limit=0&${q}`);
  await page.locator(`[data-testid=table-flows-total][data-total="${flows.total}"]`).waitFor();

  await page.fill('[data-testid=filter-input]', 'ip.adr == 1.2.3.4');
  await page.click('[data-testid=filter-apply]');
  const err = page.locator('[data-testid=filter-error]');
  await err.waitFor();
  assert.match(await err.innerText(), /unknown field ip\.adr/);
  // the bad filter did not replace the applied one
  const applied = await page.evaluate<string | null>(
    "new URLSearchParams(location.hash.split('?')[1]).get('filter')",
  );
  assert.equal(applied, filter);
  await shot('filter-error');
});

test('clicking a protocol in the summary narrows the other views (selection in the URL)', async () => {
  await openView('summary');
  const firstApp = page.locator('[data-testid=summary-apps] tr').first();
  await firstApp.waitFor();
  await firstApp.click();
  await page.waitForFunction('location.hash.includes("sel=")');
  const sel = await page.evaluate<string[]>("new URLSearchParams(location.hash.split('?')[1]).getAll('sel')");
  assert.equal(sel.length, 1);
  await page.click('[data-view=flows]');
  const flows = await api<{ total: number }>(
    `/captures/${captureId}/flows?limit=0&filter=${encodeURIComponent(sel[0]!)}`,
  );
  await page.locator(`[data-testid=table-flows-total][data-total="${flows.total}"]`).waitFor();
  await shot('selection');
});

test('timeline, parallel coordinates, treemap, chord and map render from the API', async () => {
  await openView('timeline');
  await page.locator('[data-testid=view-timeline] g.series rect').first().waitFor({ state: 'attached' });
  const hist = await api<{ buckets: { ts: string }[] }>(
    `/captures/${captureId}/histogram?group=app&bins=150`,
  );
  const bars = new Set(hist.buckets.map((b) => b.ts)).size;
  const groups = await page.locator('[data-testid=view-timeline] g.series').count();
  // one rect per bucket in every group's series
  assert.equal(await page.locator('[data-testid=view-timeline] g.series rect').count(), bars * groups);
  await shot('timeline');

  await openView('parallel');
  const par = page.locator('[data-testid=parallel-count]');
  await par.waitFor();
  const sample = await api<{ rows: unknown[] }>(`/captures/${captureId}/parallel?limit=1000`);
  assert.equal(Number(await par.getAttribute('data-lines')), sample.rows.length);
  assert.equal(await page.locator('[data-testid=view-parallel] g.lines > path').count(), sample.rows.length);
  await shot('parallel');

  await openView('treemap');
  await page.locator('[data-testid=view-treemap] rect.depth3').first().waitFor();
  await shot('treemap');

  await openView('chord');
  await page.locator('[data-testid=view-chord] g.arc').first().waitFor();
  const chord = await api<{ labels: string[] }>(`/captures/${captureId}/chord?n=12`);
  assert.equal(await page.locator('[data-testid=view-chord] g.arc').count(), chord.labels.length);
  await shot('chord');

  await openView('map');
  const map = page.locator('[data-testid=map-count]');
  await map.waitFor();
  const geo = await api<{ located: number }>(`/captures/${captureId}/geo`);
  assert.equal(Number(await map.getAttribute('data-located')), geo.located);
  assert.equal(await page.locator('[data-testid=view-map] circle.host').count(), geo.located);
  await shot('map');

  for (const t of ['dns', 'http', 'tls', 'alerts']) {
    await openView(t);
    const total = page.locator(`[data-testid=table-${t}-total]`);
    await total.waitFor();
    const want = await api<{ total: number }>(`/captures/${captureId}/${t}?limit=0`);
    assert.equal(Number(await total.getAttribute('data-total')), want.total, t);
  }
  await openView('http');
  await page.locator('[data-testid=table-http-total]').waitFor();
  await shot('http');
  assert.deepEqual(pageErrors, []);
});
