/**
 * Team mode in a real browser (Debian's Chromium via playwright-core) against `buildApp({ auth })` on
 * 127.0.0.1: the page shows the login form instead of data, a wrong password is refused on the page, the
 * right one opens the captures page, an upload through the page passes the CSRF check (the page sends the
 * session's token), and another user logging in does not see that capture. Screenshots in test/artifacts/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { ingestFiles } from '../../src/engine/ingest.js';
import { addUser } from '../../src/server/auth/accounts.js';
import { buildApp, type App } from '../../src/server/app.js';
import { authStoreOf } from '../../src/store/auth-store.js';
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

before(async () => {
  if (!existsSync(join(UI_DIR, 'index.html'))) {
    const r = spawnSync('npm', ['run', 'build:ui'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'npm run build:ui failed');
  }
  await mkdir(ARTIFACTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-e2e-login-'));
  store = await openStore(undefined, dir);
  await addUser(authStoreOf(store)!, 'ann', 'analyst', 'ann-browser-password');
  await addUser(authStoreOf(store)!, 'bob', 'analyst', 'bob-browser-password');
  server = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: UI_DIR, auth: {} });
  base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
  await server?.app.close();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('login page, upload with the CSRF token, and a capture another user cannot see', async () => {
  const errors: string[] = [];
  const ann = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await ann.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
  const form = page.locator('[data-testid=login]');
  await form.waitFor({ timeout: 15000 });
  // no data reaches the page before a login
  assert.equal(await page.locator('[data-testid=captures]').count(), 0);
  await page.fill('input[name=name]', 'ann');
  await page.fill('input[name=password]', 'not-her-password');
  await page.click('button[type=submit]');
  await page.locator('[data-testid=login] [role=alert]').waitFor();
  assert.match(await page.locator('[data-testid=login] [role=alert]').innerText(), /Wrong name or password/);
  await page.screenshot({ path: join(ARTIFACTS, 'login-refused.png') });

  await page.fill('input[name=password]', 'ann-browser-password');
  await page.click('button[type=submit]');
  await page.locator('[data-testid=dropzone]').waitFor({ timeout: 15000 });
  await page.setInputFiles('[data-testid=file-input]', FIXTURE);
  const row = page.locator('[data-testid=captures] tr[data-capture-id]');
  await row.first().waitFor({ timeout: 30000 });
  const captureId = Number(await row.first().getAttribute('data-capture-id'));
  assert.ok(captureId > 0);
  await page.screenshot({ path: join(ARTIFACTS, 'login-captures.png') });
  const cookies = await ann.cookies();
  const session = cookies.find((c) => c.httpOnly);
  assert.ok(session, 'the session cookie is HttpOnly');
  assert.equal(session.sameSite, 'Strict');
  // page script cannot read it
  assert.equal(
    await page.evaluate(
      (n) => (globalThis as unknown as { document: { cookie: string } }).document.cookie.includes(n),
      session.name,
    ),
    false,
  );

  const bob = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const bobPage = await bob.newPage();
  await bobPage.goto(base);
  await bobPage.fill('input[name=name]', 'bob');
  await bobPage.fill('input[name=password]', 'bob-browser-password');
  await bobPage.click('button[type=submit]');
  await bobPage.locator('[data-testid=dropzone]').waitFor({ timeout: 15000 });
  await bobPage.locator('[data-testid=captures]').waitFor();
  assert.equal(await bobPage.locator(`[data-testid=captures] tr[data-capture-id="${captureId}"]`).count(), 0);
  await bob.close();
  await ann.close();
  assert.deepEqual(errors, []);
});
