/**
 * The web app in a real browser: Chromium (Debian's, driven by playwright-core) against `buildApp` listening on
 * 127.0.0.1. Uploads a capture through the page, waits for the ingest, opens every view and checks what it
 * shows against the API for the same filter; screenshots go to test/artifacts/.
 */
import { test, before, after } from 'node:test';
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
import { multipart } from '../../src/server/test-support.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UI_DIR = join(ROOT, 'dist/ui');
const ARTIFACTS = join(ROOT, 'test/artifacts');
const FIXTURE = join(ROOT, 'test/fixtures/seed-pcapviz-project-test3.pcap');
const CORPUS = join(ROOT, '../shared/corpus');
/** plain HTTP with transferred files; public hosts, mixed web traffic; an FTP login (alerts) */
const BRO = join(CORPUS, 'http-browsing-bro-org.pcap');
const MIXED = join(CORPUS, 'pcapxray-sample-mixed.pcap');
const FTP = join(CORPUS, 'ftp-login-ipv4.pcap');
const CHROMIUM = process.env.PCAPLENS_CHROMIUM ?? '/usr/bin/chromium';

let dir: string;
let store: Store;
let server: App;
let base: string;
let browser: Browser;
let page: Page;
let captureId: number;
const ids: Record<string, number> = {};
const pageErrors: string[] = [];

/** Uploads through the API (the page's upload is tested once) and waits for the stored capture. */
async function uploadApi(path: string): Promise<number> {
  const { body, contentType } = multipart([{ name: path.split('/').pop()!, data: await readFile(path) }]);
  const r = await fetch(`${base}/api/captures`, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { 'content-type': contentType },
  });
  assert.equal(r.status, 202);
  const jobId = ((await r.json()) as { jobs: { id: string }[] }).jobs[0]!.id;
  await server.queue.drained();
  const job = await api<{ job: { capture_id: number | null; state: string } }>(`/captures/${jobId}`);
  assert.equal(job.job.state, 'done');
  return job.job.capture_id!;
}

async function api<T>(path: string): Promise<T> {
  const r = await fetch(`${base}/api${path}`);
  return (await r.json()) as T;
}

/** Waits for the page's URL hash to hold `text` (a function, not a string: the page's CSP forbids eval). */
async function hashHas(text: string): Promise<void> {
  await page.waitForFunction(
    (t) => (globalThis as unknown as { location: { hash: string } }).location.hash.includes(t),
    text,
  );
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

async function openView(view: string, query = '', cid = captureId): Promise<void> {
  await page.goto(`${base}/#/c/${cid}/${view}${query}`);
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
    // failed requests are judged below by their URL
    if (m.type() === 'error' && !/status of 40[04]/.test(m.text())) pageErrors.push(m.text());
  });
  page.on('response', (r) => {
    // a 400 is what the filter bar's validation answers for a bad filter: the test asks for one on purpose
    const expected = r.status() === 400;
    if (r.status() >= 400 && !expected) pageErrors.push(`HTTP ${r.status()} ${r.url()}`);
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
  // top talkers: the bytes each way as the API counts them
  const top = await api<{ ip: string; bytes_sent: number; bytes_recv: number }[]>(
    `/captures/${captureId}/top?n=10`,
  );
  const rows = page.locator('[data-testid=top-row]');
  assert.equal(await rows.count(), top.length);
  for (let i = 0; i < top.length; i++) {
    const r = rows.nth(i);
    assert.equal(await r.getAttribute('data-ip'), top[i]!.ip);
    assert.equal(Number(await r.getAttribute('data-sent')), top[i]!.bytes_sent);
    assert.equal(Number(await r.getAttribute('data-recv')), top[i]!.bytes_recv);
  }
  assert.ok(top.some((t) => t.bytes_sent > 0));
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
  await page.locator('[data-testid=table-flows] tbody tr[data-key]').first().click();
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
    await page.locator('[data-testid=graph-canvas][data-settled]').waitFor();
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
  await hashHas('filter=');
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
  await hashHas('sel=');
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

test('application tables show the stored rows: DNS, HTTP, TLS, files, alerts, credentials', async () => {
  ids.bro = await uploadApi(BRO);
  ids.mixed = await uploadApi(MIXED);
  ids.ftp = await uploadApi(FTP);
  const checks: [string, string][] = [
    ['bro', 'http'],
    ['bro', 'files'],
    ['ftp', 'alerts'],
    ['mixed', 'dns'],
    ['mixed', 'tls'],
    ['ftp', 'credentials'],
  ];
  for (const [c, t] of checks) {
    await openView(t, '', ids[c]);
    const total = page.locator(`[data-testid=table-${t}-total]`);
    await total.waitFor();
    const want = await api<{ total: number }>(`/captures/${ids[c]}/${t}?limit=0`);
    assert.ok(want.total > 0, `${c} ${t} has rows`);
    assert.equal(Number(await total.getAttribute('data-total')), want.total, `${c} ${t}`);
    // virtualised: the rows in view (all of them for a short table), never the whole table
    await page.locator(`[data-testid=table-${t}] tbody tr[data-key]`).first().waitFor();
    const rendered = await page.locator(`[data-testid=table-${t}] tbody tr[data-key]`).count();
    assert.ok(rendered > 0 && rendered <= Math.min(want.total, 80), `${t}: ${rendered} rows rendered`);
    await shot(`${t}`);
  }
  // files: each row links to its download, an attachment
  await openView('files', '', ids.bro);
  const link = page.locator('[data-testid=link-file_id]').first();
  await link.waitFor();
  assert.equal(await link.getAttribute('download'), '');
  const r = await fetch(`${base}${await link.getAttribute('href')}`);
  assert.equal(r.status, 200);
  assert.match(String(r.headers.get('content-disposition')), /^attachment; filename="/);
  assert.equal(r.headers.get('content-type'), 'application/octet-stream');
});

test('credentials are masked until "reveal", and never reach the URL', async () => {
  const creds = await api<{ rows: { password: string | null }[] }>(`/captures/${ids.ftp}/credentials`);
  const secret = creds.rows.find((c) => c.password)?.password;
  assert.ok(secret, 'the FTP login has a password');
  await openView('credentials', '', ids.ftp);
  await page.locator('[data-testid=table-credentials] tbody tr[data-key]').first().waitFor();
  const cell = page.locator('[data-testid=secret-cell]').first();
  assert.match(await cell.innerText(), /••••/);
  assert.ok(!(await cell.innerText()).includes(secret));
  assert.equal(await page.locator('[data-testid=secret-value]').count(), 0);
  // nor in a tooltip
  assert.equal(await cell.getAttribute('title'), null);
  await shot('credentials-masked');
  await page.locator('[data-testid=reveal]').first().click();
  assert.equal(await page.locator('[data-testid=secret-value]').first().innerText(), secret);
  assert.ok(!page.url().includes(encodeURIComponent(secret)) && !page.url().includes(secret));
  await shot('credentials-revealed');
});

test('a session: follow its stream (ASCII and hex), open a packet, pick a field, see its bytes', async () => {
  const flow = (await api<{ rows: { id: number }[] }>(`/captures/${ids.bro}/flows?sort=-bytes&limit=1`))
    .rows[0]!;
  const stream = await api<{ chunks: { direction: string }[] }>(
    `/captures/${ids.bro}/flows/${flow.id}/stream?max_bytes=1048576`,
  );
  await openView(`flow/${flow.id}`, '', ids.bro);
  const stats = page.locator('[data-testid=stream-stats]');
  await stats.waitFor();
  assert.equal(Number(await stats.getAttribute('data-chunks')), stream.chunks.length);
  assert.equal(await page.locator('[data-testid=stream-chunk]').count(), stream.chunks.length);
  assert.equal(
    await page.locator('[data-testid=stream-chunk][data-direction=rev]').count(),
    stream.chunks.filter((c) => c.direction === 'rev').length,
  );
  assert.match(await page.locator('[data-testid=stream-chunk]').first().innerText(), /GET \//);
  await shot('session-stream');
  await page.locator('[data-testid=stream-hex]').check();
  assert.match(await page.locator('[data-testid=stream-chunk]').first().innerText(), /0000 {2}47 45 54 20/);

  // the packet list drills down to one frame's layers and bytes
  await page.locator('[data-testid=session-packets] tbody tr[data-key]').nth(3).click();
  const detail = page.locator('[data-testid=packet-detail] [data-testid=packet-tree]');
  await detail.waitFor();
  const n = Number(await page.evaluate("new URLSearchParams(location.hash.split('?')[1]).get('pkt')"));
  const want = await api<{ layers: { name: string }[]; caplen: number }>(`/captures/${ids.bro}/packets/${n}`);
  assert.equal(await detail.locator('details > summary').count(), want.layers.length);
  assert.equal(await page.locator('[data-testid=packet-hex] [data-i]').count(), want.caplen);
  // picking the TCP source port highlights its two bytes
  const field = page.locator('[data-testid=packet-field]', { hasText: 'Source port' }).first();
  await field.click();
  const off = Number(await field.getAttribute('data-offset'));
  const len = Number(await field.getAttribute('data-length'));
  assert.equal(len, 2);
  const sel = page.locator('[data-testid=packet-hex] [data-i].sel');
  assert.equal(await sel.count(), len);
  assert.equal(Number(await sel.first().getAttribute('data-i')), off);
  await page.locator('[data-testid=packet-detail]').scrollIntoViewIfNeeded();
  await shot('packet-detail');
});

test('host page: names with sources, place, AS, alerts and peers by protocol', async () => {
  const hosts = await api<{ rows: { ip: string; country: string | null; names: unknown[] }[] }>(
    `/captures/${ids.ftp}/hosts?sort=-bytes_sent`,
  );
  const pub = hosts.rows.find((h) => h.country)!;
  await openView(`host/${pub.ip}`, '', ids.ftp);
  await page.locator('[data-testid=host-geo]').waitFor();
  assert.match(await page.locator('[data-testid=host-geo]').innerText(), new RegExp(pub.country!));
  const flows = await api<{ rows: { app: string | null; proto: string; dst_port: number | null }[] }>(
    `/captures/${ids.ftp}/flows?limit=2000&filter=${encodeURIComponent(`ip.addr == ${pub.ip}`)}`,
  );
  const protocols = new Set(flows.rows.map((f) => f.app ?? `${f.proto}/${f.dst_port}`));
  await page.locator('[data-testid=peer-protocol]').first().waitFor();
  assert.equal(await page.locator('[data-testid=peer-protocol]').count(), protocols.size);
  const alerts = await api<{ total: number }>(
    `/captures/${ids.ftp}/alerts?limit=0&filter=${encodeURIComponent(`ip.addr == ${pub.ip}`)}`,
  );
  assert.ok(alerts.total > 0, 'the FTP server is named by the cleartext alerts');
  await page.locator(`[data-testid=host-alerts-total][data-total="${alerts.total}"]`).waitFor();
  await shot('host');
});

test('map points and arcs; graph colours, grouping and expanding a group', async () => {
  await openView('map', '', ids.mixed);
  const map = page.locator('[data-testid=map-count]');
  await map.waitFor();
  const geo = await api<{ located: number; arcs: unknown[] }>(`/captures/${ids.mixed}/geo`);
  assert.ok(geo.located > 20 && geo.arcs.length > 0);
  assert.equal(await page.locator('[data-testid=view-map] circle.host').count(), geo.located);
  assert.equal(await page.locator('[data-testid=view-map] path.arc').count(), geo.arcs.length);
  await shot('map-arcs');

  const grouped = await api<{ nodes: { id: string; group?: { members: number } }[] }>(
    `/captures/${ids.mixed}/graph?layer=3&limit=3000&group=subnet`,
  );
  await openView('graph', '?group=subnet', ids.mixed);
  const canvas = page.locator('[data-testid=graph-canvas][data-settled]');
  await canvas.waitFor();
  assert.equal(Number(await canvas.getAttribute('data-nodes')), grouped.nodes.length);
  await shot('graph-grouped');
  const big = grouped.nodes.find((n) => (n.group?.members ?? 0) > 1)!;
  await openView('graph', `?group=subnet&expand=${encodeURIComponent(big.id)}`, ids.mixed);
  await page
    .locator(`[data-testid=graph-canvas][data-nodes="${grouped.nodes.length - 1 + big.group!.members}"]`)
    .waitFor();
  await page.locator('[data-testid=graph-collapse-all]').waitFor();
  // alerted and cleartext traffic in the legend's colours (the FTP login is flagged)
  await openView('graph', '', ids.ftp);
  await page.locator('[data-testid=graph-canvas][data-settled]').waitFor();
  await shot('graph-alerts');
});

test('a filter and a time brush narrow every view to what the API returns for them', async () => {
  const cid = ids.mixed!;
  // a filter every table understands: the client side of the capture
  const filter = 'ip.addr == 192.168.0.0/16';
  await openView('summary', `?filter=${encodeURIComponent(filter)}`, cid);
  await page.locator('[data-testid=view-summary]').waitFor();
  const overlay = page.locator('[data-testid=timeline-brush] g.brush rect.overlay');
  await overlay.waitFor({ state: 'attached' });
  const box = (await overlay.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await hashHas('from=');
  const q = new URLSearchParams((await page.evaluate<string>('location.hash')).split('?')[1]);
  const scope = `filter=${encodeURIComponent(filter)}&from=${encodeURIComponent(q.get('from')!)}&to=${encodeURIComponent(q.get('to')!)}`;
  const whole = await api<{ counts: Record<string, number> }>(
    `/captures/${cid}/summary?filter=${encodeURIComponent(filter)}`,
  );
  const sum = await api<{ counts: Record<string, number> }>(`/captures/${cid}/summary?${scope}`);
  assert.ok(sum.counts.flows! < whole.counts.flows!, 'the brush narrowed the sessions');
  await page.locator(`a.count[data-table=flows][data-count="${sum.counts.flows}"]`).waitFor();
  await shot('brushed-summary');
  const hash = await page.evaluate<string>('location.hash');
  const query = hash.slice(hash.indexOf('?'));
  for (const t of ['flows', 'hosts', 'dns', 'tls']) {
    await page.goto(`${base}/#/c/${cid}/${t}${query}`);
    const want = await api<{ total: number }>(`/captures/${cid}/${t}?limit=0&${scope}`);
    await page.locator(`[data-testid=table-${t}-total][data-total="${want.total}"]`).waitFor();
  }
  const g = await api<{ nodes: unknown[]; edges: unknown[] }>(
    `/captures/${cid}/graph?layer=3&limit=3000&${scope}`,
  );
  await page.goto(`${base}/#/c/${cid}/graph${query}`);
  await page.locator(`[data-testid=graph-canvas][data-nodes="${g.nodes.length}"]`).waitFor();
  const par = await api<{ rows: unknown[] }>(`/captures/${cid}/parallel?limit=1000&${scope}`);
  await page.goto(`${base}/#/c/${cid}/parallel${query}`);
  await page.locator(`[data-testid=parallel-count][data-lines="${par.rows.length}"]`).waitFor();
  const geo = await api<{ located: number }>(`/captures/${cid}/geo?${scope}`);
  await page.goto(`${base}/#/c/${cid}/map${query}`);
  await page.locator(`[data-testid=map-count][data-located="${geo.located}"]`).waitFor();
  await shot('brushed-map');
  // the export link carries the same scope
  const href = await page.locator('[data-testid=export-pcap]').getAttribute('href');
  assert.equal(new URLSearchParams(href!.split('?')[1]).get('filter'), filter);
  assert.ok(href!.includes('from='));
  assert.deepEqual(pageErrors, []);
});
