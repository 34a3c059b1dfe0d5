import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PcaplensError } from '../../shared/errors.js';
import { openAuthFor, sideAuthDir } from '../../store/auth-open.js';
import { capturePath } from '../../store/capture-files.js';
import type { Store } from '../../store/store.js';
import { writeOut, type CliIo } from '../io.js';
import { STORE_HELP, STORE_OPTIONS, captureId, parseCommand, withStore } from '../store-args.js';
import type { Command } from './command.js';

/** Digests of the kept files a capture reads (single-file captures stored before file lists: its own). */
async function digestsOf(store: Store, id: number, sha256: string): Promise<string[]> {
  const files = await store.captureFiles(id);
  return files.length ? files.map((f) => f.sha256) : [sha256];
}

export const rmCommand: Command = {
  name: 'rm',
  summary: 'delete stored captures (and their kept files when no other capture uses them)',
  help: `Usage: pcaplens rm <ID...> [--store URL] [--data DIR]

Deletes stored captures (ids as pcaplens captures lists them, with or without @) and all their rows. A kept
capture file is removed from the data directory when no remaining capture reads it. An id that does not
exist is an error (the others are still deleted).

Options:
${STORE_HELP}
  -h, --help         this help
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'rm', {
      ...STORE_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length === 0) throw new PcaplensError('E_USAGE', 'rm: no capture id given');
    const ids = positionals.map((a) => captureId(a, 'rm'));
    const missing: number[] = [];
    const deleted: number[] = [];
    await withStore(v, async (store, dataDir) => {
      const candidates = new Set<string>();
      for (const id of ids) {
        const row = await store.getCapture(id);
        if (!row) {
          missing.push(id);
          continue;
        }
        for (const d of await digestsOf(store, id, row.sha256)) candidates.add(d);
        await store.deleteCapture(id);
        deleted.push(id);
        await writeOut(io.stdout, `${id}\n`);
      }
      // a SQL store forgets owner and shares with the capture; a ClickHouse deployment's team file is told
      if (deleted.length && store.kind === 'clickhouse' && existsSync(sideAuthDir(dataDir))) {
        const team = await openAuthFor(store, dataDir);
        try {
          for (const id of deleted) await team?.auth.forgetCapture(id);
        } finally {
          await team?.close();
        }
      }
      if (candidates.size === 0) return;
      const used = new Set<string>();
      for (const c of await store.listCaptures())
        for (const d of await digestsOf(store, c.id, c.sha256)) used.add(d);
      for (const d of candidates) if (!used.has(d)) await rm(capturePath(dataDir, d), { force: true });
    });
    if (missing.length)
      throw new PcaplensError('E_NOT_FOUND', `rm: no stored capture with id ${missing.join(', ')}`);
    return 0;
  },
};
