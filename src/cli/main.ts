/**
 * pcaplens command line: `pcaplens <command> [args]`. I/O is injectable (tests run main() in-process).
 * Errors print one line `pcaplens: <message>` on stderr (no stack unless PCAPLENS_DEBUG is set); usage errors
 * exit 2, other failures 1.
 */
import { isPcaplensError } from '../shared/errors.js';
import type { Command } from './commands/command.js';
import { chordCommand } from './commands/chord.js';
import { flowsCommand } from './commands/flows.js';
import { graphCommand } from './commands/graph.js';
import { hostsCommand } from './commands/hosts.js';
import { alertsCommand } from './commands/alerts.js';
import { matrixCommand } from './commands/matrix.js';
import { reportCommand } from './commands/report.js';
import { serveCommand } from './commands/serve.js';
import { summaryCommand } from './commands/summary.js';
import { timelineCommand } from './commands/timeline.js';
import { topCommand } from './commands/top.js';
import { importCommand } from './commands/import.js';
import { capturesCommand } from './commands/captures.js';
import { rmCommand } from './commands/rm.js';
import { packetsCommand } from './commands/packets.js';
import { exportCommand } from './commands/export.js';
import { workerCommand } from './commands/worker.js';
import {
  credentialsCommand,
  dhcpCommand,
  dnsCommand,
  filesCommand,
  httpCommand,
  sshCommand,
  tlsCommand,
} from './commands/app-tables.js';
import { streamCommand } from './commands/stream.js';
import { terminalSafe } from './format/terminal-safe.js';
import type { CliIo } from './io.js';
import { version } from './version.js';

/** A function, not a constant: commands may import from this module (import cycles see it uninitialised). */
export const commands = (): readonly Command[] => [
  summaryCommand,
  flowsCommand,
  hostsCommand,
  alertsCommand,
  dnsCommand,
  httpCommand,
  tlsCommand,
  dhcpCommand,
  credentialsCommand,
  filesCommand,
  sshCommand,
  streamCommand,
  topCommand,
  graphCommand,
  chordCommand,
  matrixCommand,
  timelineCommand,
  reportCommand,
  serveCommand,
  importCommand,
  capturesCommand,
  rmCommand,
  packetsCommand,
  exportCommand,
  workerCommand,
];

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export { version };

function mainHelp(): string {
  const w = Math.max(...commands().map((c) => c.name.length));
  return `pcaplens ${version()}: turns packet captures (pcap, pcapng, gzip of either) into answers.

Usage: pcaplens <command> <capture...> [--format json|csv|table] [--filter EXPR]

Commands:
${commands()
  .map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`)
  .join('\n')}

Output goes to stdout: a table when stdout is a terminal, JSON otherwise (choose with --format).
Problems in the captures are reported on stderr as warnings; the exit code is non-zero only when nothing
could be read.

Options:
  -h, --help     this help (pcaplens <command> --help for a command's options)
  -V, --version  print the version

Example:
  pcaplens flows capture.pcapng --format csv > flows.csv
`;
}

function processIo(): CliIo {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  // `pcaplens flows x.pcap | head`: the reader went away; stop quietly instead of dying on EPIPE
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  return { stdout: process.stdout, stderr: process.stderr, signal: ac.signal };
}

function errorLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return terminalSafe(`pcaplens: ${msg.split('\n')[0]}`) + '\n';
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      const cmd = first === 'help' ? commands().find((c) => c.name === rest[0]) : undefined;
      io.stdout.write(cmd ? cmd.help : mainHelp());
      return first === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (first === '-V' || first === '--version') {
      io.stdout.write(version() + '\n');
      return EXIT_OK;
    }
    const cmd = commands().find((c) => c.name === first);
    if (!cmd) {
      const what = first.startsWith('-') ? 'unknown option' : 'unknown command';
      io.stderr.write(
        errorLine(
          `${what} '${first}' (commands: ${commands()
            .map((c) => c.name)
            .join(', ')})`,
        ),
      );
      return EXIT_USAGE;
    }
    return await cmd.run(rest, io);
  } catch (e) {
    if (io.signal?.aborted) {
      io.stderr.write('pcaplens: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    if (process.env.PCAPLENS_DEBUG && e instanceof Error && e.stack) io.stderr.write(e.stack + '\n');
    if (isPcaplensError(e)) {
      io.stderr.write(errorLine(e));
      // a filter that does not parse is a command-line mistake too
      return e.code === 'E_USAGE' || e.code === 'E_FILTER' ? EXIT_USAGE : EXIT_FAILURE;
    }
    io.stderr.write(errorLine(`internal error: ${e instanceof Error ? e.message : String(e)}`));
    return EXIT_FAILURE;
  }
}
