/**
 * What goes through the queue and what a worker does with it. A capture import is one BullMQ flow: a
 * `finish` parent over `range` children, one per hash range of conversations. Children run on any worker
 * (every worker reads the capture from the same shared path); the parent runs once all children are done,
 * moves the staged rows into place and writes the capture row. Jobs are idempotent: a retried range job
 * writes under a new attempt id and only the attempt recorded last counts; a retried finish starts by
 * dropping what an earlier try wrote.
 */
import { randomUUID } from 'node:crypto';
import { PcaplensError } from '../../shared/errors.js';
import type { Problem } from '../../shared/problem.js';
import type { CaptureSummary, FlowRow, HostRow } from '../../shared/rows.js';
import type { CaptureMeta } from '../../shared/store-rows.js';
import type { ClickHouseStore } from '../../store/clickhouse/clickhouse-store.js';
import { chLiteral, chString } from '../../store/clickhouse/literal.js';
import { StageWriter } from '../../store/clickhouse/stage-writer.js';
import { analyzeRange } from './range-analyze.js';
import type { ResolvedName } from '../../wire/reader.js';
import type { TableName } from '../../shared/filter/tables.js';
import type { FinishHook, JobAttempt } from '../../store/clickhouse/finalize.js';
import { loadStagedApp, loadStagedFlows } from '../../store/clickhouse/finalize.js';
import { APP_TABLES, emptyAppRows, type AppRows } from '../app-tables.js';
import { enrichRun } from '../enrich-result.js';
import { defaultEnrichment, type Enrichment } from '../enrich-sources.js';
import { toStoredAlert } from '../stored-alert.js';

export interface RangeJobData {
  captureId: number;
  paths: string[];
  job: number;
  jobs: number;
}

export interface FinishJobData {
  captureId: number;
  jobs: number;
  meta: CaptureMeta;
}

export interface RangeTotals {
  summary: CaptureSummary;
  appProblems: Problem[];
  /** pcapng name resolution entries (job 0 only: every job reads the same) */
  names: ResolvedName[];
  flows: number;
  hosts: number;
}

/** Runs one range job: reads the capture, stages its rows under a fresh attempt, records the attempt. */
export async function runRangeJob(
  store: ClickHouseStore,
  d: RangeJobData,
  onProgress?: (read: number, total: number) => void,
  signal?: AbortSignal,
): Promise<RangeTotals> {
  const attempt = randomUUID();
  const w = new StageWriter(store.ctx, d.captureId, d.job, attempt);
  const res = await analyzeRange(
    d.paths,
    {
      packets: (rows) => w.write('packets', rows as never),
      flows: (rows: FlowRow[], first, ends) =>
        w.write('flows', rows as never, (i) => ({
          first_n: first[i]!.n,
          first_layer: first[i]!.layer,
          end_key: ends[i]!,
        })),
      app: (table, rows, keys) => w.writeApp(table, rows, keys),
      hosts: (rows: HostRow[], macFirst) =>
        w.write('hosts', rows as never, (i) => ({ mac_first: macFirst[i]! })),
    },
    { job: d.job, jobs: d.jobs, ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) },
  );
  await w.close();
  const totals: RangeTotals = {
    summary: res.summary,
    appProblems: res.appProblems,
    names: d.job === 0 ? res.names : [],
    flows: res.flows,
    hosts: res.hosts,
  };
  // the attempt row is what makes the staged rows count (the newest attempt of a job wins)
  await store.ctx.meta.exec(
    `INSERT INTO ${store.ctx.layout.db}.ingest_jobs (capture_id, job, attempt, version, totals) VALUES (${chLiteral(d.captureId)}, ${chLiteral(d.job)}, ${chString(attempt)}, ${BigInt(Date.now()) * 1000n + BigInt(d.job)}, ${chString(JSON.stringify(totals))})`,
  );
  return totals;
}

/** Runs the finish of a capture: every range job must have recorded an attempt. */
export async function runFinishJob(
  store: ClickHouseStore,
  d: FinishJobData,
  enrichment: Enrichment | false = defaultEnrichment(),
): Promise<number> {
  const rows = await store.ctx.meta.rows<{ job: number; attempt: string; totals: string }>(
    `SELECT job, argMax(attempt, version) AS attempt, argMax(totals, version) AS totals FROM ingest_jobs WHERE capture_id = ${chLiteral(d.captureId)} GROUP BY job ORDER BY job`,
  );
  if (rows.length !== d.jobs)
    throw new PcaplensError(
      'E_STORE',
      `capture ${d.captureId}: ${rows.length} of ${d.jobs} ingest jobs done`,
    );
  const totals = rows.map((r) => JSON.parse(r.totals) as RangeTotals);
  const s = mergeSummaries(totals);
  const attempts: JobAttempt[] = rows.map((r) => ({ job: Number(r.job), attempt: r.attempt }));
  const hook = enrichmentHook(store, d.captureId, attempts, totals[0]!.names, s, enrichment);
  const row = await store.finish(
    d.captureId,
    d.meta,
    {
      packets: s.packets,
      bytes: s.bytes,
      first_ts: s.first_ts,
      last_ts: s.last_ts,
      status: s.problems.length ? 'partial' : 'complete',
      errors: s.problems,
      link_types: [...new Set(s.files.flatMap((f) => f.link_types))],
      summary: s,
    },
    attempts,
    true,
    hook,
  );
  await store.ctx.meta.exec(
    `ALTER TABLE ${store.ctx.layout.db}.ingest_jobs DROP PARTITION ${chLiteral(d.captureId)}`,
  );
  return row.id;
}

/**
 * Every job read every packet, so their summaries agree except for what depends on the conversations a job
 * kept: the flow count (summed; hosts are counted after merging) and the application layer's problems
 * (each job's, in frame order, after the reading problems of their file as a single reader lists them).
 */
export function mergeSummaries(totals: readonly RangeTotals[]): CaptureSummary {
  const s = totals[0]!.summary;
  const app = totals.flatMap((t) => t.appProblems).sort((a, b) => (a.packet ?? 0) - (b.packet ?? 0));
  const files = s.files.map((f) => ({ ...f, problems: [...f.problems] }));
  for (const p of app) (files.find((f) => f.name === p.file) ?? files[0])?.problems.push(p);
  return {
    ...s,
    files,
    problems: files.flatMap((f) => f.problems),
    flows: totals.reduce((a, t) => a + t.flows, 0),
  };
}

/**
 * The finish step's enrichment, as the single-process import does it once reading is over: the capture's
 * application rows (ids mapped, in a single reader's order) are stored, and with every flow they feed the
 * host enrichment and the alert analyses. Needs the capture's flows and application rows in memory, as
 * the single-process import does.
 */
function enrichmentHook(
  store: ClickHouseStore,
  captureId: number,
  attempts: JobAttempt[],
  names: ResolvedName[],
  summary: CaptureSummary,
  enrichment: Enrichment | false,
): FinishHook {
  return async ({ hosts, flowId }) => {
    const staged = await loadStagedApp(store.ctx, captureId, attempts);
    const app: AppRows = emptyAppRows();
    for (const { table, job, row } of staged) {
      if (!(APP_TABLES as readonly string[]).includes(table)) continue;
      row.flow_id = flowId(job, typeof row.flow_id === 'number' ? row.flow_id : null);
      (app[table as keyof AppRows] as unknown[]).push(row);
    }
    const tables: { table: TableName; rows: Record<string, unknown>[] }[] = APP_TABLES.filter(
      (t) => app[t].length,
    ).map((t) => ({ table: t as TableName, rows: app[t] as unknown as Record<string, unknown>[] }));
    if (enrichment === false) return { hosts, tables };
    const flows = (await loadStagedFlows(store.ctx, captureId, attempts, flowId)) as unknown as FlowRow[];
    const enriched = await enrichRun(
      { ...app, flows, names, hosts: hosts as unknown as HostRow[] },
      enrichment,
    );
    (summary as CaptureSummary & { enrichment_sources?: unknown }).enrichment_sources = enriched.sources;
    tables.push({
      table: 'alerts',
      rows: enriched.alerts.map(toStoredAlert) as unknown as Record<string, unknown>[],
    });
    return { hosts: enriched.hosts as unknown as Record<string, unknown>[], tables };
  };
}
