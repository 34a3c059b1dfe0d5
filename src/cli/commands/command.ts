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

export const FILTER_HELP = `      --filter EXPR  keep the rows matching EXPR (Wireshark-like: ip.addr == 10.0.0.0/8 and tcp.port == 443,
                     udp and not port == 53, flow.bytes_fwd > 1000000, app == "tls"); unknown fields are
                     reported with the nearest names`;
