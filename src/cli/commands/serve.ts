import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { buildApp, DEFAULT_MAX_UPLOAD } from '../../server/app.js';
import { ingestFiles } from '../../engine/ingest.js';
import { openAuthFor } from '../../store/auth-open.js';
import { importViaQueue, queueProgress } from '../../engine/distributed/queue.js';
import { queueSettings } from '../queue-args.js';
import { openStore } from '../../store/open.js';
import { PcaplensError } from '../../shared/errors.js';
import type { CliIo } from '../io.js';
import { Enrichment } from '../../engine/enrich-sources.js';
import { ENRICH_HELP, ENRICH_OPTIONS, enrichOptionsFrom } from '../enrich-args.js';
import { DEFAULT_SESSION_POLICY, parseDuration } from '../../server/auth/sessions.js';
import type { Command } from './command.js';

export const help = `Usage: pcaplens serve [--port 5000] [--host 127.0.0.1] [--data DIR] [--store SPEC]

Starts the web app: upload captures in the browser, watch them being ingested, then explore them in linked
views (summary, hosts, sessions, graph, timeline, DNS/HTTP/TLS tables, ...). The JSON API is under /api,
described at /api/openapi.json.

Options:
  -p, --port N          TCP port (default 5000; 0 picks a free one)
      --host ADDR       address to bind (default 127.0.0.1). Anything but loopback exposes the captures to
                        the network: use --auth there.
  -d, --data DIR        data directory for the store and uploads (default ./pcaplens-data)
      --store SPEC      duckdb (default), a postgres:// URL or clickhouse://host:8123/db?cluster=NAME
      --queue URL       with a clickhouse:// store: ingest uploads through workers (pcaplens worker) taking
                        jobs from this Redis (redis://host:6379); the uploads folder (DATA/uploads) must be
                        readable at the same path by every worker
      --jobs N          with --queue: jobs (ranges of conversations) per capture (default 4)
      --queue-name NAME with --queue: BullMQ queue name (default pcaplens-ingest)
      --max-upload SIZE largest file accepted per upload, e.g. 500M, 4G (default 4G)
      --allow-host NAME also answer requests for this Host name (repeatable; for a reverse proxy)
      --auth            team mode: every API call needs a login or an API token, captures belong to their
                        uploader and are shared explicitly (users: pcaplens user add NAME --admin)
      --trust-proxy     behind a reverse proxy: take the client address and https from X-Forwarded-*
      --insecure-cookie with --auth on a non-loopback address over plain HTTP: send the session cookie
                        without Secure (anyone on the network path can then steal sessions)
      --session-ttl DURATION  with --auth: a session unused this long ends (default 7d); every use extends
                        it (written at most once an hour). DURATION: a number and s, m, h, d or w (12h, 7d)
      --session-max DURATION  with --auth: a session ends this long after login however much it is used
                        (default 30d; at least --session-ttl); then the user logs in again
  -h, --help            this help

Enrichment of the hosts and alerts of every ingested capture:
${ENRICH_HELP}

Example:
  pcaplens serve --port 8080 --data /srv/pcaplens
`;

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text.trim());
  if (!m) throw new PcaplensError('E_USAGE', `serve: bad size ${JSON.stringify(text)} (try 500M or 4G)`);
  const v = Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toUpperCase()]!);
  if (!(v > 0)) throw new PcaplensError('E_USAGE', 'serve: --max-upload must be positive');
  return v;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        data: { type: 'string', short: 'd' },
        store: { type: 'string' },
        'max-upload': { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        auth: { type: 'boolean' },
        queue: { type: 'string' },
        jobs: { type: 'string' },
        'queue-name': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        'insecure-cookie': { type: 'boolean' },
        'session-ttl': { type: 'string' },
        'session-max': { type: 'string' },
        ...ENRICH_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    throw new PcaplensError('E_USAGE', `serve: ${(e as Error).message.split('\n')[0]}`);
  }
}

function version(): string {
  // src/cli/commands and dist/cli/commands both sit three levels below the package root
  return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Runs until io.signal aborts (Ctrl-C), then closes the server and the store. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const v = parse(argv);
  if (v.help) {
    io.stdout.write(help);
    return 0;
  }
  const port = v.port === undefined ? 5000 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new PcaplensError('E_USAGE', 'serve: --port must be 0..65535');
  const host = v.host ?? '127.0.0.1';
  const dataDir = v.data ?? './pcaplens-data';
  const maxUploadBytes = v['max-upload'] ? parseSize(v['max-upload']) : DEFAULT_MAX_UPLOAD;
  // the user's data files are read now: a wrong path fails before the server starts
  const enrichment = new Enrichment(enrichOptionsFrom(v));
  const queued = queueSettings(v, 'serve');
  const sessionTtlMs = v['session-ttl'] ? parseDuration(v['session-ttl'], 'serve: --session-ttl') : undefined;
  const sessionMaxMs = v['session-max'] ? parseDuration(v['session-max'], 'serve: --session-max') : undefined;
  if ((sessionTtlMs !== undefined || sessionMaxMs !== undefined) && !v.auth)
    throw new PcaplensError('E_USAGE', 'serve: --session-ttl and --session-max go with --auth');
  if ((sessionTtlMs ?? DEFAULT_SESSION_POLICY.idleMs) > (sessionMaxMs ?? DEFAULT_SESSION_POLICY.maxMs))
    throw new PcaplensError('E_USAGE', 'serve: --session-ttl is longer than --session-max (default 30d)');
  const store = await openStore(v.store, dataDir);
  let closed = false;
  const loopback = LOOPBACK.has(host);
  // the session cookie is Secure (HTTPS only) behind a proxy (which terminates TLS) and whenever the server
  // is reachable from the network; on loopback it is Secure only when the request came over HTTPS
  const secureCookies = v['trust-proxy'] ? true : !loopback ? !v['insecure-cookie'] : 'auto';
  const auth = v.auth
    ? await openAuthFor(store, dataDir).catch(async (e: unknown) => {
        await store.close();
        throw e;
      })
    : null;
  if (v.auth && !auth) {
    await store.close();
    throw new PcaplensError(
      'E_USAGE',
      `serve: --auth needs a store that keeps users (DuckDB, PostgreSQL, or ClickHouse with DATA/team/); the ${store.kind} store does not`,
    );
  }
  const { app } = await buildApp({
    store,
    dataDir,
    ingest: queued
      ? (_st, _dir, paths, o) =>
          importViaQueue(paths, {
            ...queued,
            name: o.name,
            signal: o.signal,
            onProgress: o.onProgress ? queueProgress(o.onProgress) : undefined,
          })
      : (st, dir, paths, o) => ingestFiles(st, dir, paths, { ...o, enrichment }),
    maxUploadBytes,
    // on a non-loopback address any Host may be legitimate (names of this machine)
    allowedHosts: LOOPBACK.has(host) ? (v['allow-host'] ?? []) : null,
    version: version(),
    auth: auth ? { secureCookies, sessionTtlMs, sessionMaxMs } : null,
    authStore: auth?.auth,
    trustProxy: v['trust-proxy'] ?? false,
  });
  try {
    const address = await app.listen({ port, host });
    io.stderr.write(`pcaplens: serving ${address} (data in ${dataDir}, store ${store.kind}); Ctrl-C stops\n`);
    if (!loopback && !v.auth)
      io.stderr.write('pcaplens: warning: listening beyond loopback; there is no login (see --auth)\n');
    if (v.auth) {
      const users = await auth!.auth.listUsers();
      io.stderr.write(`pcaplens: team mode: ${users.length} user(s)\n`);
      if (!users.some((u) => u.role === 'admin'))
        io.stderr.write('pcaplens: no admin yet: pcaplens user add NAME --admin (password on stdin)\n');
      if (secureCookies === true && !v['trust-proxy'])
        io.stderr.write(
          'pcaplens: the session cookie is Secure: browsers send it over HTTPS only (put a TLS proxy in front, with --trust-proxy)\n',
        );
    }
    await new Promise<void>((resolve) => {
      if (!io.signal) return; // no way to be stopped: serve until the process ends
      if (io.signal.aborted) resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    if (!closed) {
      closed = true;
      await app.close();
      await auth?.close();
      await store.close();
    }
  }
  return 0;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'web app: upload captures and explore them in linked views (http://127.0.0.1:5000)',
  help,
  run,
};
