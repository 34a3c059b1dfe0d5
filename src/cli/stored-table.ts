/**
 * The table commands on a stored capture (`pcaplens flows @3 ...`): rows come from the store's pages with
 * the filter, time window, sort and limit done by the database, and are written exactly as the direct run
 * writes them, so `flows @ID` and `flows file.pcap` print the same rows.
 */
import type { CaptureSummary } from '../shared/rows.js';
import type { CaptureRow } from '../shared/store-rows.js';
import { APP_TABLES } from '../engine/app-tables.js';
import { PcaplensError } from '../shared/errors.js';
import { compileFilter, parseTimeBound } from '../shared/filter/index.js';
import type { PageQuery, SortKey, Store, TableName } from '../store/store.js';
import { getStoredCapture } from '../engine/capture-source.js';
import { FORMATS, type OutputFormat } from './args.js';
import { FLOW_COLUMNS, FLOW_TABLE_COLUMNS, HOST_COLUMNS, HOST_TABLE_COLUMNS } from './columns.js';
import { RowStream } from './format/row-stream.js';
import { writeOut, type CliIo } from './io.js';
import { flatten } from './format/cell.js';
import { csvLine } from './format/csv.js';
import { jsonObject } from './format/json.js';
import { renderKeyValue } from './format/table.js';
import { STORE_OPTIONS, captureArg, intOption, parseCommand, withStore } from './store-args.js';
import { writeRows } from './commands/table-output.js';

export { STORED_HELP } from './store-args.js';

const PAGE = 50_000;

export function parseSort(spec: string | undefined): SortKey[] | undefined {
  if (spec === undefined) return undefined;
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(-)?([a-z_][a-z0-9_]*)(?::(asc|desc))?$/i.exec(s);
      if (!m) throw new PcaplensError('E_USAGE', `bad --sort column '${s}' (try --sort=-bytes_fwd,id)`);
      return { column: m[2]!, desc: m[1] === '-' || m[3]?.toLowerCase() === 'desc' };
    });
}

/** The stored hosts carry enrichment columns the direct run does not have: kept only when they hold a value. */
function hostShape(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of HOST_COLUMNS) out[c] = r[c];
  for (const [k, v] of Object.entries(r)) if (!(k in out) && v !== null && v !== undefined) out[k] = v;
  return out;
}

async function pageAll(
  store: Store,
  table: TableName,
  q: PageQuery,
  limit: number | undefined,
  each: (rows: Record<string, unknown>[]) => void,
): Promise<void> {
  for (let offset = 0; limit === undefined || offset < limit;) {
    const n = Math.min(PAGE, limit === undefined ? PAGE : limit - offset);
    const page = await store.page(table, { ...q, limit: n, offset });
    each(page.rows as unknown as Record<string, unknown>[]);
    offset += page.rows.length;
    if (page.rows.length < n) break;
  }
}

function formatOf(v: string | undefined, io: CliIo, verb: string): OutputFormat {
  const format = (v ?? (io.stdout.isTTY ? 'table' : 'json')) as OutputFormat;
  if (!FORMATS.includes(format))
    throw new PcaplensError('E_USAGE', `${verb}: --format must be one of ${FORMATS.join(', ')}, not '${v}'`);
  return format;
}

/** `pcaplens flows|hosts @ID [...]`; other tables (dns, http, ...) give their columns (all, table view). */
export async function runStoredTable(
  table: TableName,
  argv: string[],
  io: CliIo,
  help: string,
  columns?: { all: readonly string[]; table: readonly string[] },
): Promise<number> {
  const { values: v, positionals } = parseCommand(argv, table, {
    ...STORE_OPTIONS,
    format: { type: 'string', short: 'f' },
    filter: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    sort: { type: 'string' },
    limit: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (v.help) {
    io.stdout.write(help);
    return 0;
  }
  const arg = captureArg(positionals, table);
  if (!('captureId' in arg)) throw new PcaplensError('E_USAGE', `${table}: expected @ID`);
  const format = formatOf(v.format, io, table);
  // checked before the store is opened: a typo fails fast
  const filter = v.filter !== undefined ? compileFilter(v.filter, table) : undefined;
  const sort = parseSort(v.sort);
  const limit = intOption(v.limit, 'limit', table);
  const [all, tableCols] = columns
    ? [columns.all, columns.table]
    : table === 'flows'
      ? [FLOW_COLUMNS, FLOW_TABLE_COLUMNS]
      : [HOST_COLUMNS, HOST_TABLE_COLUMNS];
  await withStore(v, async (store) => {
    const capture = await getStoredCapture(store, arg.captureId);
    const q: PageQuery = {
      captureId: capture.id,
      filter,
      sort,
      from: v.from ? parseTimeBound(v.from, capture.first_ts) : undefined,
      to: v.to ? parseTimeBound(v.to, capture.first_ts) : undefined,
    };
    const shape = table === 'hosts' ? hostShape : (r: Record<string, unknown>) => r;
    if (format === 'table') {
      const rows: Record<string, unknown>[] = [];
      await pageAll(store, table, q, limit, (page) => rows.push(...page.map(shape)));
      await writeRows(io.stdout, format, rows, all, tableCols);
      return;
    }
    const stream = new RowStream(io.stdout, format, all);
    await pageAll(store, table, q, limit, (page) => {
      for (const r of page) stream.add(shape(r));
    });
    await stream.end();
  });
  return 0;
}

/** `pcaplens summary @ID`: the summary kept at import (the same object a direct run prints). */
export async function runStoredSummary(argv: string[], io: CliIo, help: string): Promise<number> {
  const { values: v, positionals } = parseCommand(argv, 'summary', {
    ...STORE_OPTIONS,
    format: { type: 'string', short: 'f' },
    tables: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (v.help) {
    io.stdout.write(help);
    return 0;
  }
  const arg = captureArg(positionals, 'summary');
  if (!('captureId' in arg)) throw new PcaplensError('E_USAGE', 'summary: expected @ID');
  const format = formatOf(v.format, io, 'summary');
  const summary = await withStore(v, async (store) => {
    const capture = await getStoredCapture(store, arg.captureId);
    const read = await storedSummary(store, capture);
    if (v.tables !== true) return read;
    // --tables: the rows each application table holds for the capture, as a direct run counts them
    const appRows: Record<string, number> = {};
    for (const t of APP_TABLES) appRows[t] = await store.countRows(t, { captureId: capture.id });
    return { ...read, app_rows: appRows };
  });
  // written as summary.ts writes a direct run's
  if (format === 'json') await writeOut(io.stdout, jsonObject(summary));
  else {
    const pairs = flatten(summary);
    await writeOut(
      io.stdout,
      format === 'csv'
        ? csvLine(['field', 'value']) + pairs.map((p) => csvLine(p)).join('')
        : renderKeyValue(pairs),
    );
  }
  return 0;
}

/** The summary kept at import, or for captures stored before summaries were kept, what the capture row knows. */
async function storedSummary(store: Store, capture: CaptureRow): Promise<CaptureSummary> {
  const kept = (await store.captureSummary?.(capture.id)) as CaptureSummary | null | undefined;
  if (kept) return kept;
  // captures stored before summaries were kept: what the capture row knows
  const files = await store.captureFiles(capture.id);
  const fallback: CaptureSummary = {
    files: files.map((f) => ({
      name: f.name,
      format: f.format,
      link_types: capture.link_types,
      packets: files.length === 1 ? capture.packets : 0,
      bytes: files.length === 1 ? capture.bytes : 0,
      size: f.size,
      first_ts: files.length === 1 ? capture.first_ts : null,
      last_ts: files.length === 1 ? capture.last_ts : null,
      problems: capture.errors.filter((p) => p.file === f.name),
    })),
    packets: capture.packets,
    bytes: capture.bytes,
    bytes_captured: 0,
    first_ts: capture.first_ts,
    last_ts: capture.last_ts,
    duration: 0,
    protocols: {},
    flows: await store.countRows('flows', { captureId: capture.id }),
    hosts: await store.countRows('hosts', { captureId: capture.id }),
    problems: capture.errors,
  };
  return fallback;
}
