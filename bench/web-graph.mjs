#!/usr/bin/env node
/**
 * Graph rendering benchmark (not a test): a synthetic capture whose graph has ~10,000 address nodes is
 * ingested, the web app serves it on 127.0.0.1, and headless Chromium (Debian's, through playwright-core)
 * opens the graph view with every edge. Once the layout has settled, the page pans and zooms for a few
 * seconds with the mouse (drag and wheel) while a requestAnimationFrame loop counts frames.
 *
 *   node --import tsx bench/web-graph.mjs [--nodes 10000] [--seconds 4] [--shot out.png]
 *
 * Prints frames per second over the animation, the renderer's mean draw time, layout time, and the counts.
 * Target: >= 30 fps. Needs `npm run build:ui` (done when dist/ui is missing).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ingestFiles } from '../src/engine/ingest.ts';
import { buildApp } from '../src/server/app.ts';
import { openStore } from '../src/store/open.ts';
import { PcapWriter, udpFrame } from '../test/hostile/capture-builder.ts';

const { values: opt } = parseArgs({
  options: {
    nodes: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '4' },
    shot: { type: 'string' },
  },
});
const NODES = Number(opt.nodes);
const SECONDS = Number(opt.seconds);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const UI_DIR = join(ROOT, 'dist/ui');
const CHROMIUM = process.env.PCAPLENS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A few hundred busy clients in 10.0.0.0/16 and many servers spread over 198.18.0.0/15 (benchmark range):
 * every server answers one or two clients, so the graph has NODES nodes and ~1.2 x NODES edges.
 */
function syntheticCapture(nodes) {
  const clients = Math.max(10, Math.round(nodes * 0.03));
  const servers = nodes - clients;
  const w = new PcapWriter();
  let ts = 1_700_000_000;
  const client = (i) => `10.0.${(i >> 8) & 255}.${(i & 255) || 1}`;
  const server = (i) => `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`;
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const payload = new Uint8Array(32);
  for (let s = 0; s < servers; s++) {
    const links = rnd() < 0.2 ? 2 : 1;
    for (let k = 0; k < links; k++) {
      // a skewed choice: a few clients talk to many servers
      const c = Math.floor(clients * rnd() * rnd());
      const n = 1 + Math.floor(rnd() * 4);
      for (let p = 0; p < n; p++) {
        ts += 0.0005;
        w.add(udpFrame(client(c), server(s), 40000 + (s % 20000), 7000 + (s % 50), payload), { ts });
      }
    }
  }
  return w.bytes();
}

async function main() {
  if (!existsSync(join(UI_DIR, 'index.html'))) {
    const r = spawnSync('npm', ['run', 'build:ui'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build:ui failed');
  }
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-bench-graph-'));
  const store = await openStore(undefined, dir);
  const file = join(dir, 'graph.pcap');
  await writeFile(file, syntheticCapture(NODES));
  const t0 = performance.now();
  const capture = await ingestFiles(store, dir, [file], { enrichment: false });
  const ingestMs = performance.now() - t0;
  const { app } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: UI_DIR });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const t1 = performance.now();
    await page.goto(`${base}/#/c/${capture.id}/graph?limit=20000`);
    const canvas = page.locator('[data-testid=graph-canvas][data-settled]');
    await canvas.waitFor({ timeout: 120_000 });
    const layoutMs = performance.now() - t1;
    const info = await canvas.evaluate((c) => ({ ...c.dataset }));
    if (opt.shot) await page.screenshot({ path: opt.shot.replace(/\.png$/, '-fit.png') });
    const box = await canvas.boundingBox();
    // the machine's ceiling: frames of an idle requestAnimationFrame loop (nothing redrawn)
    const idle = await page.evaluate(
      (ms) =>
        new Promise((resolve) => {
          const frames = [];
          const loop = (t) => {
            frames.push(t);
            if (t - frames[0] < ms) requestAnimationFrame(loop);
            else resolve(frames);
          };
          requestAnimationFrame(loop);
        }),
      1000,
    );
    const drawsBefore = Number(await canvas.getAttribute('data-draws'));
    // the animation: every frame a wheel step (zoom in, then out) or a drag step (pan), dispatched in the
    // page as the user's input would arrive, so the figure is the renderer's and not the driver's latency
    const frames = await page.evaluate(
      ({ ms, cx, cy }) =>
        new Promise((resolve) => {
          const c = document.querySelector('[data-testid=graph-canvas]');
          const frames = [];
          let i = 0;
          let dragging = false;
          const loop = (t) => {
            frames.push(t);
            const phase = Math.floor(i / 40) % 4;
            if (phase === 0 || phase === 2) {
              if (dragging) {
                c.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, view: window, clientX: cx, clientY: cy }));
                dragging = false;
              }
              c.dispatchEvent(
                new WheelEvent('wheel', { bubbles: true, cancelable: true, deltaY: phase === 0 ? -40 : 40, clientX: cx, clientY: cy }),
              );
            } else {
              const x = cx + 150 * Math.sin(i / 9);
              const y = cy + 100 * Math.cos(i / 11);
              if (!dragging) {
                c.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, view: window, button: 0, clientX: x, clientY: y }));
                dragging = true;
              } else window.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, view: window, clientX: x, clientY: y }));
            }
            i++;
            if (t - frames[0] < ms) requestAnimationFrame(loop);
            else {
              if (dragging) window.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, view: window }));
              resolve(frames);
            }
          };
          requestAnimationFrame(loop);
        }),
      { ms: SECONDS * 1000, cx: box.width / 2 + box.x, cy: box.height / 2 + box.y },
    );
    const after = await canvas.evaluate((c) => ({ ...c.dataset }));
    const fpsOf = (f) => (f.length - 1) / ((f[f.length - 1] - f[0]) / 1000);
    const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
    const p95gap = gaps[Math.floor(gaps.length * 0.95)] ?? 0;
    if (opt.shot) await page.screenshot({ path: opt.shot });
    const result = {
      nodes: Number(info.nodes),
      edges: Number(info.edges),
      ingest_ms: Math.round(ingestMs),
      load_and_layout_ms: Math.round(layoutMs),
      layout_ticks: Number(info.ticks),
      fps: Number(fpsOf(frames).toFixed(1)),
      idle_fps: Number(fpsOf(idle).toFixed(1)),
      layout_ms_in_worker: Number(after.layoutMs),
      frame_p95_ms: Number(p95gap.toFixed(1)),
      redraws: Number(after.draws) - drawsBefore,
      draw_ms_mean: Number(after.drawMs),
      frames: frames.length,
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(result.fps >= 30 ? 'target >= 30 fps: met' : 'target >= 30 fps: NOT met');
  } finally {
    await browser.close();
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
