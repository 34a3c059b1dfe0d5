/**
 * Command-line pieces of the commands that work on stored captures: `@ID` capture references, the
 * --store/--data options, strict option parsing with one-line usage errors, and opening the store.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PcaplensError } from '../shared/errors.js';
import { DEFAULT_DATA_DIR, openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

export const STORE_HELP = `      --store URL    where captures are stored: postgres://user@host/db (PostgreSQL), default DuckDB in
                     the data directory
      --data DIR     data directory: the DuckDB file and the kept capture files (default ${DEFAULT_DATA_DIR})`;

export const STORE_OPTIONS = {
  store: { type: 'string' },
  data: { type: 'string', short: 'd' },
} as const satisfies ParseArgsConfig['options'];

/** `@12` -> 12; anything else -> null. */
export function captureRef(arg: string): number | null {
  const m = /^@(\d{1,15})$/.exec(arg);
  return m ? Number(m[1]) : null;
}

/** A capture id as given to `rm` (`12` or `@12`). */
export function captureId(arg: string, verb: string): number {
  const id = captureRef(arg) ?? (/^\d{1,15}$/.test(arg) ? Number(arg) : null);
  if (id === null)
    throw new PcaplensError('E_USAGE', `${verb}: '${arg}' is not a capture id (see pcaplens captures)`);
  return id;
}

/** True when the positionals name a stored capture (`@ID`). */
export function isStoredRef(argv: readonly string[]): boolean {
  return argv.some((a) => captureRef(a) !== null);
}

/** node:util parseArgs, strict, with its errors turned into one-line E_USAGE messages. */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  verb: string,
  options: O,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const quoted = /'([^']+)'/.exec(err.message ?? '')?.[1];
    const msg =
      err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option '${quoted ?? '?'}' (see pcaplens ${verb} --help)`
        : (err.message ?? String(e)).split('\n')[0];
    throw new PcaplensError('E_USAGE', `${verb}: ${msg}`);
  }
}

/** The positionals: either capture files, or exactly one `@ID`. */
export type CaptureArg = { paths: string[] } | { captureId: number };

export function captureArg(positionals: string[], verb: string): CaptureArg {
  if (positionals.length === 0)
    throw new PcaplensError('E_USAGE', `${verb}: no capture given (files, or @ID of a stored capture)`);
  const refs = positionals.map(captureRef);
  if (refs.every((r) => r === null)) return { paths: positionals };
  if (positionals.length > 1)
    throw new PcaplensError(
      'E_USAGE',
      `${verb}: give one stored capture (@ID) or capture files, not both or several`,
    );
  return { captureId: refs[0]! };
}

export interface StoreValues {
  store?: string;
  data?: string;
}

/** Opens the store the options name, runs fn, and closes the store whatever happens. */
export async function withStore<T>(
  v: StoreValues,
  fn: (store: Store, dataDir: string) => Promise<T>,
): Promise<T> {
  const dataDir = v.data ?? DEFAULT_DATA_DIR;
  const store = await openStore(v.store, dataDir);
  try {
    return await fn(store, dataDir);
  } finally {
    await store.close();
  }
}

/** A non-negative integer option. */
export function intOption(v: string | undefined, name: string, verb: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v))
    throw new PcaplensError('E_USAGE', `${verb}: --${name} must be a whole number, not '${v}'`);
  return Number(v);
}

/** Help for the table commands run on a stored capture (@ID). */
export const STORED_HELP = `Stored captures (pcaplens import): give @ID instead of files; the store answers, and these options apply:
      --from TIME    rows active at or after TIME: ISO-8601 (2024-05-01T12:00:00Z) or +DURATION after the
                     capture start (+30s, +5m, +1h30m)
      --to TIME      rows active at or before TIME (same forms)
      --sort COLS    comma-separated columns, each optionally -COL or COL:desc for descending
                     (--sort=-bytes_fwd,id); default the table's key
      --limit N      at most N rows
${STORE_HELP}`;
