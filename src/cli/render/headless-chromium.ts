/**
 * Opens a local HTML file in headless Chromium and reports what the console saw (errors, warnings, uncaught
 * exceptions, CSP refusals, failed loads). Talks the DevTools protocol over --remote-debugging-pipe (fd 3 in,
 * fd 4 out, NUL-separated JSON), so no extra package is needed. Used by the report tests.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM_PATH = process.env.PCAPLENS_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export interface PageCheck {
  /** console errors/warnings, exceptions and log entries, one line each */
  problems: string[];
  /** results of the expressions asked for, as JSON-able values */
  values: unknown[];
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export async function checkPage(
  file: string,
  expressions: string[] = [],
  timeoutMs = 30000,
): Promise<PageCheck> {
  const profile = mkdtempSync(join(tmpdir(), 'pcaplens-chromium-'));
  const child = spawn(
    CHROMIUM_PATH,
    [
      '--headless=new',
      '--remote-debugging-pipe',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  const problems: string[] = [];
  const waiting = new Map<number, (m: Message) => void>();
  const events: ((m: Message) => void)[] = [];
  let nextId = 1;
  let buf = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => {
    buf += chunk;
    let nul: number;
    while ((nul = buf.indexOf('\0')) >= 0) {
      const m = JSON.parse(buf.slice(0, nul)) as Message;
      buf = buf.slice(nul + 1);
      if (m.id !== undefined) waiting.get(m.id)?.(m);
      else for (const h of events) h(m);
    }
  });
  // Chromium gone (crashed, or killed by the timeout): every pending and later request fails instead of
  // waiting forever
  let gone: Error | null = null;
  const send = (method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      if (gone) return reject(gone);
      const id = nextId++;
      waiting.set(id, (m) =>
        m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result ?? {}),
      );
      input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  events.push((m) => {
    const p = m.params ?? {};
    if (m.method === 'Runtime.exceptionThrown') {
      const d = p.exceptionDetails as { text?: string; exception?: { description?: string } };
      problems.push(`exception: ${d.exception?.description ?? d.text ?? '?'}`);
    } else if (
      m.method === 'Runtime.consoleAPICalled' &&
      ['error', 'warning', 'assert'].includes(String(p.type))
    ) {
      const args = (p.args as { value?: unknown; description?: string }[]) ?? [];
      problems.push(
        `console.${String(p.type)}: ${args.map((a) => String(a.value ?? a.description)).join(' ')}`,
      );
    } else if (m.method === 'Log.entryAdded') {
      const e = p.entry as { level: string; source: string; text: string; url?: string };
      if (e.level === 'error' || e.level === 'warning')
        problems.push(`${e.source} ${e.level}: ${e.text} ${e.url ?? ''}`.trim());
    }
  });
  child.once('exit', (code, signal) => {
    gone = new Error(`chromium exited (${signal ?? code})`);
    for (const cb of waiting.values()) cb({ error: { message: gone.message } });
    waiting.clear();
    for (const h of events) h({ method: 'exit' });
  });
  input.on('error', () => undefined);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    };
    await send('Runtime.enable', {}, sessionId);
    await send('Log.enable', {}, sessionId);
    await send('Page.enable', {}, sessionId);
    const loaded = new Promise<void>((resolve, reject) =>
      events.push((m) =>
        m.method === 'Page.loadEventFired' ? resolve() : m.method === 'exit' ? reject(gone) : undefined,
      ),
    );
    await send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
    await loaded;
    // late console messages (CSP reports are asynchronous)
    await new Promise((r) => setTimeout(r, 300));
    const values: unknown[] = [];
    for (const expression of expressions) {
      const r = (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as {
        result: { value?: unknown };
      };
      values.push(r.result.value);
    }
    await send('Browser.close').catch(() => undefined);
    return { problems, values };
  } finally {
    clearTimeout(timer);
    // let Chromium finish writing its profile before removing it
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    const grace = setTimeout(() => child.kill('SIGKILL'), 5000);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 6000))]);
    clearTimeout(grace);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}
