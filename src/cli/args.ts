/** Command-line parsing shared by the table commands (node:util parseArgs, strict). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PcaplensError } from '../shared/errors.js';

export type OutputFormat = 'json' | 'csv' | 'table';
export const FORMATS: readonly OutputFormat[] = ['json', 'csv', 'table'];

export interface TableArgs {
  files: string[];
  format: OutputFormat;
  help: boolean;
  /** --filter expression, for commands that accept one */
  filter: string | null;
  /** values of the command's extra options (see parseTableArgs' `extra`) */
  values: Record<string, unknown>;
}

/** parseArgs' error codes mapped to one short line each. */
function usageMessage(e: unknown, verb: string): string {
  const err = e as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(err.message ?? '')?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${verb}: unknown option '${quoted ?? '?'}' (see pcaplens ${verb} --help)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${verb}: ${err.message?.split('\n')[0] ?? 'bad option value'}`;
    default:
      return `${verb}: ${(err.message ?? String(e)).split('\n')[0]}`;
  }
}

export function parseTableArgs(
  argv: string[],
  verb: string,
  stdoutIsTTY: boolean,
  opts: { filter?: boolean; extra?: ParseArgsConfig['options'] } = {},
): TableArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        help: { type: 'boolean', short: 'h' },
        ...(opts.filter ? { filter: { type: 'string' as const } } : {}),
        ...opts.extra,
      },
    });
  } catch (e) {
    throw new PcaplensError('E_USAGE', usageMessage(e, verb));
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  const format = (values.format ?? (stdoutIsTTY ? 'table' : 'json')) as OutputFormat;
  if (!FORMATS.includes(format)) {
    throw new PcaplensError(
      'E_USAGE',
      `${verb}: --format must be one of ${FORMATS.join(', ')}, not '${values.format}'`,
    );
  }
  if (!help && positionals.length === 0) {
    throw new PcaplensError('E_USAGE', `${verb}: no capture file given (see pcaplens ${verb} --help)`);
  }
  const filter = typeof values.filter === 'string' ? values.filter : null;
  return { files: positionals, format, help, filter, values };
}
