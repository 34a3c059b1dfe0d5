/**
 * Runs the engine over the command line's files for a table command: progress bar on a terminal, one warning
 * line per problem on stderr (naming file and offset), capped so a badly broken file cannot flood the terminal.
 */
import { analyzeFiles, type AnalyzeFilesResult, type AnalyzeOptions } from '../engine/analyze-files.js';
import { onlyTables, type AppTable } from '../engine/app-tables.js';
import { APP_SPLIT_MAX_THREADS, APP_SPLIT_MIN_SIZE } from '../engine/parallel/app-split-limits.js';
import { PcaplensError } from '../shared/errors.js';
import type { FlowRow } from '../shared/rows.js';
import type { Problem } from '../shared/problem.js';
import { terminalSafe } from './format/terminal-safe.js';
import type { CliIo } from './io.js';
import { ProgressBar } from './progress-bar.js';

const MAX_WARNINGS = 20;

export function warningLine(p: Problem): string {
  const where = `offset ${p.offset}` + (p.packet !== undefined ? `, packet ${p.packet}` : '');
  return terminalSafe(`pcaplens: warning: ${p.file}: ${where}: ${p.message} (${p.code})`) + '\n';
}

/**
 * For commands that print no flow rows: finished flows are dropped as they end instead of being kept until the
 * end of the input, so memory stays bounded by the live flows (the flow count is still in the summary).
 */
export const discardFlows = (): void => undefined;

/** For commands that print no application rows: rows are dropped as they are found instead of being kept. */
export const discardRows = (): void => undefined;

/** Help line of --threads for the application-layer commands. */
export const THREADS_HELP = `      --threads N    decoding threads (1..${APP_SPLIT_MAX_THREADS}) for one plain capture of 64 MiB or more: N > 1
                     splits the conversations over N worker threads (same output, more CPU in all);
                     default 1 (PCAPLENS_APP_THREADS): two threads cost ~1.5x the CPU and pay only
                     with an idle core; smaller, gzip or several files always use 1`;

/** --threads as given on the command line: undefined when absent, else 1..APP_SPLIT_MAX_THREADS. */
export function threadsArg(v: unknown, verb: string): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (!/^\d{1,2}$/.test(s) || +s < 1 || +s > APP_SPLIT_MAX_THREADS)
    throw new PcaplensError('E_USAGE', `${verb}: --threads takes 1..${APP_SPLIT_MAX_THREADS}, not '${s}'`);
  return +s;
}

/**
 * A command that prints no flow rows (onFlow is discardFlows) and at most the rows of `tables` may run over
 * worker threads (engine/parallel/app-split.ts): `threads` as --threads gave it (undefined: the default).
 * PCAPLENS_APP_SPLIT_MIN_SIZE lowers the smallest file split (tests).
 */
export interface SplitRun {
  threads: number | undefined;
  tables: readonly AppTable[];
  /** the command prints the host count only, not the host rows */
  hostCount?: boolean;
}

/** The split's module, loaded by the commands that may split (a flows run never does). */
const appSplit = () => import('../engine/parallel/app-split.js');

function splitMinSize(): number {
  const v = Number(process.env.PCAPLENS_APP_SPLIT_MIN_SIZE);
  return Number.isInteger(v) && v >= 0 ? v : APP_SPLIT_MIN_SIZE;
}

/** With `onFlow`, finished flows are streamed to it and the result's `flows` is empty. */
export async function runAnalysis(
  files: string[],
  io: CliIo,
  onFlow?: (row: FlowRow) => void,
  extra: Pick<
    AnalyzeOptions,
    'hosts' | 'app' | 'onRow' | 'fileBytes' | 'flowText' | 'onFlowState' | 'afterChunk' | 'onEndOfInput'
  > = {},
  split?: SplitRun,
): Promise<AnalyzeFilesResult> {
  const bar = new ProgressBar(io.stderr);
  try {
    const threads =
      split && onFlow === discardFlows && extra.app !== false && !extra.fileBytes && !extra.flowText
        ? await (await appSplit()).appSplitThreads(files, split.threads, splitMinSize())
        : 1;
    const result =
      threads > 1
        ? await (
            await appSplit()
          ).analyzeAppSplit(files[0]!, {
            threads,
            tables: split!.tables,
            hosts: extra.hosts === false ? false : split!.hostCount ? 'count' : true,
            onRow: extra.onRow,
            onProgress: (p) => bar.update(p),
            signal: io.signal,
          })
        : await analyzeFiles(files, {
            ...extra,
            // the layer makes only the rows of the tables the command prints
            onRow: split && extra.onRow ? onlyTables(split.tables, extra.onRow) : extra.onRow,
            onProgress: (p) => bar.update(p),
            signal: io.signal,
            onFlow,
          });
    bar.clear();
    const problems = result.summary.problems;
    for (const p of problems.slice(0, MAX_WARNINGS)) io.stderr.write(warningLine(p));
    if (problems.length > MAX_WARNINGS) {
      io.stderr.write(
        `pcaplens: warning: ${problems.length - MAX_WARNINGS} more problems (see pcaplens summary)\n`,
      );
    }
    return result;
  } finally {
    bar.clear();
  }
}
