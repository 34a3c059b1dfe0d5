/**
 * Runs the engine over the command line's files for a table command: progress bar on a terminal, one warning
 * line per problem on stderr (naming file and offset), capped so a badly broken file cannot flood the terminal.
 */
import { analyzeFiles, type AnalyzeFilesResult, type AnalyzeOptions } from '../engine/analyze-files.js';
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

/** With `onFlow`, finished flows are streamed to it and the result's `flows` is empty. */
export async function runAnalysis(
  files: string[],
  io: CliIo,
  onFlow?: (row: FlowRow) => void,
  extra: Pick<AnalyzeOptions, 'hosts' | 'app' | 'onRow' | 'fileBytes' | 'flowText'> = {},
): Promise<AnalyzeFilesResult> {
  const bar = new ProgressBar(io.stderr);
  try {
    const result = await analyzeFiles(files, {
      ...extra,
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
