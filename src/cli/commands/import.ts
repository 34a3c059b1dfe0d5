import { ingestFiles, type IngestResult } from '../../engine/ingest.js';
import { queueSettings } from '../queue-args.js';
import { PcaplensError } from '../../shared/errors.js';
import { jsonObject } from '../format/json.js';
import { terminalSafe } from '../format/terminal-safe.js';
import { writeOut, type CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { warningLine } from '../run-analysis.js';
import { STORE_HELP, STORE_OPTIONS, parseCommand, withStore } from '../store-args.js';
import type { Store } from '../../store/store.js';
import type { Command } from './command.js';
import { Enrichment } from '../../engine/enrich-sources.js';
import { ENRICH_HELP, ENRICH_OPTIONS, enrichOptionsFrom } from '../enrich-args.js';
import { openAuthFor, type OpenedAuth } from '../../store/auth-open.js';
import { userNamed } from '../../server/auth/accounts.js';

const MAX_WARNINGS = 20;

export const importCommand: Command = {
  name: 'import',
  summary: 'store captures (files kept, packet index, flows, hosts) for later queries: prints the capture id',
  help: `Usage: pcaplens import <capture...> [--each] [--name NAME] [--force] [--threads N] [--store URL] [--data DIR]

Stores a capture: the files are kept in the data directory (content-addressed, by SHA-256) and read once;
the packet index, flows and hosts go into the store in one transaction (an interrupted import leaves
nothing behind). Prints the capture id on stdout, one line per capture; use it as @ID with the table
commands, packets and export (pcaplens flows @3 --filter 'tcp.port == 443').

All the files given make ONE capture, merged in time order as the table commands read them (frames are
numbered over the merge). With --each, every file becomes a capture of its own.
A capture whose content is already stored is not read again: its id is printed, and stderr says so.

Options:
      --each         one capture per file instead of one for all
      --name NAME    display name (default: the first file's name, "+N" for more files); not with --each
      --force        store again even when the same content is already stored
      --threads N    decoding threads (1..16): N > 1 decodes on N worker threads, each accounting its share
                     of the conversations, with the same stored rows (default 1, or PCAPLENS_INGEST_THREADS;
                     see bench/README.md for when 2 pays off)
      --owner NAME   team mode (serve --auth): the capture belongs to this user (who must exist), as if
                     they had uploaded it; without it only admins see a CLI import. A capture already
                     stored with another owner is shared with NAME instead
      --public       team mode: every user may read the capture
  -f, --format FMT   id (default: one id per line) or json (the capture rows, with "existing": true for
                     captures that were already stored)
${STORE_HELP}
      --queue URL    import through workers (pcaplens worker) taking jobs from this Redis (redis://host:6379);
                     needs a clickhouse:// store and capture paths every worker can read
      --jobs N       with --queue: jobs (ranges of conversations) per capture (default 4)
      --queue-name NAME  with --queue: BullMQ queue name (default pcaplens-ingest)
  -h, --help         this help

Enrichment of the stored hosts and alerts (not with --queue):
${ENRICH_HELP}

Example:
  pcaplens import monday.pcapng tuesday.pcapng.gz
  pcaplens flows @1 --from +10m --to +20m
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'import', {
      ...STORE_OPTIONS,
      each: { type: 'boolean' },
      name: { type: 'string' },
      force: { type: 'boolean' },
      threads: { type: 'string' },
      format: { type: 'string', short: 'f' },
      queue: { type: 'string' },
      jobs: { type: 'string' },
      'queue-name': { type: 'string' },
      owner: { type: 'string' },
      public: { type: 'boolean' },
      ...ENRICH_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      await writeOut(io.stdout, this.help);
      return 0;
    }
    if (positionals.length === 0) throw new PcaplensError('E_USAGE', 'import: no capture file given');
    if (v.each && v.name !== undefined)
      throw new PcaplensError('E_USAGE', 'import: --name names one capture; it cannot go with --each');
    const format = v.format ?? 'id';
    if (format !== 'id' && format !== 'json')
      throw new PcaplensError('E_USAGE', `import: --format must be id or json, not '${format}'`);
    const queued = queueSettings(v, 'import');
    if (v.threads !== undefined && !(/^\d{1,2}$/.test(v.threads) && +v.threads >= 1 && +v.threads <= 16))
      throw new PcaplensError('E_USAGE', `import: --threads takes 1..16, not '${v.threads}'`);
    if (v.threads !== undefined && v.queue)
      throw new PcaplensError('E_USAGE', 'import: --threads is for a local import; with --queue use --jobs');
    // the user's data files are read before any capture: a wrong path fails fast
    const enrichment = new Enrichment(enrichOptionsFrom(v));
    const groups = v.each ? positionals.map((p) => [p]) : [positionals];
    const rows: IngestResult[] = [];
    await withStore(v, async (store, dataDir) => {
      // team mode: the owner must exist before anything is read (store/auth-open.ts: ClickHouse's side file)
      let team: OpenedAuth | null = null;
      if (v.owner !== undefined || v.public) {
        team = await openAuthFor(store, dataDir);
        if (!team)
          throw new PcaplensError(
            'E_USAGE',
            `import: the ${store.kind} store keeps no users (--owner, --public)`,
          );
      }
      try {
        const ownerId = v.owner === undefined ? null : (await userNamed(team!.auth, v.owner)).id;
        await importGroups(store, dataDir, async (row) => {
          if (!team) return;
          if (ownerId !== null) {
            const owner = await team.auth.claimCapture(row.id, ownerId);
            if (owner !== ownerId) {
              await team.auth.shareCapture(row.id, ownerId);
              io.stderr.write(
                `pcaplens: capture ${row.id} already has an owner; shared with ${terminalSafe(v.owner!)}\n`,
              );
            }
          }
          if (v.public) await team.auth.setCapturePublic(row.id, true);
        });
      } finally {
        await team?.close();
      }
    });
    async function importQueued(
      files: string[],
      queued: NonNullable<ReturnType<typeof queueSettings>>,
      bar: ProgressBar,
    ): Promise<IngestResult> {
      // BullMQ and its Redis client load only for a queued import (a third of a second at start)
      const { importViaQueue, queueProgress } = await import('../../engine/distributed/queue.js');
      return importViaQueue(files, {
        ...queued,
        name: v.name,
        force: v.force === true,
        signal: io.signal,
        onProgress: queueProgress((p) => bar.update(p)),
      });
    }
    async function importGroups(store: Store, dataDir: string, claim: (row: IngestResult) => Promise<void>) {
      for (const files of groups) {
        const bar = new ProgressBar(io.stderr);
        let row: IngestResult;
        try {
          row = queued
            ? await importQueued(files, queued, bar)
            : await ingestFiles(store, dataDir, files, {
                name: v.name,
                force: v.force === true,
                signal: io.signal,
                onProgress: (p) => bar.update(p),
                enrichment,
                threads: v.threads === undefined ? undefined : Number(v.threads),
              });
        } finally {
          bar.clear();
        }
        await claim(row);
        rows.push(row);
        const what = terminalSafe(files.join(' '));
        if (row.existing) {
          io.stderr.write(
            `pcaplens: ${what}: already stored as capture ${row.id} (${terminalSafe(row.name)}); --force stores it again\n`,
          );
        } else {
          for (const p of row.errors.slice(0, MAX_WARNINGS)) io.stderr.write(warningLine(p));
          if (row.errors.length > MAX_WARNINGS)
            io.stderr.write(`pcaplens: warning: ${row.errors.length - MAX_WARNINGS} more problems\n`);
        }
        if (format === 'id') await writeOut(io.stdout, `${row.id}\n`);
      }
    }
    if (format === 'json') await writeOut(io.stdout, jsonObject(rows));
    return 0;
  },
};
