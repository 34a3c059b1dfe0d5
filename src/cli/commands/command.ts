import type { CliIo } from '../io.js';

/** One CLI verb. `run` returns the exit code; errors it throws are printed by main as one line. */
export interface Command {
  name: string;
  /** one line for `pcaplens --help` */
  summary: string;
  /** full `pcaplens <name> --help` text */
  help: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const FORMAT_HELP = `  -f, --format FMT   json, csv or table. Default: table when stdout is a terminal, json otherwise.
                     json prints one JSON document on stdout and nothing else; csv is RFC 4180 with
                     spreadsheet formula cells neutralised; table strips terminal escape sequences.
  -h, --help         this help`;
