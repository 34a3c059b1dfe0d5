/**
 * pcaplens command line: `pcaplens <command> [args]`. I/O is injectable (tests run main() in-process).
 * Errors print one line `pcaplens: <message>` on stderr (no stack unless PCAPLENS_DEBUG is set); usage errors
 * exit 2, other failures 1.
 */
import { isPcaplensError } from '../shared/errors.js';
import type { Command } from './commands/command.js';
import { terminalSafe } from './format/terminal-safe.js';
import type { CliIo } from './io.js';
import { version } from './version.js';

/**
 * The commands, each loaded only when it runs: importing every command up front (DuckDB's native module,
 * Fastify, the report renderer ...) cost every run ~0.5 s of CPU and ~60 MB. One line per command; the main
 * help loads them all for their summaries.
 */
interface LazyCommand {
  name: string;
  load: () => Promise<Command>;
}

const lazy = (name: string, load: () => Promise<Command>): LazyCommand => ({ name, load });

/** A function, not a constant: commands may import from this module (import cycles see it uninitialised). */
export const commandList = (): readonly LazyCommand[] => [
  lazy('summary', async () => (await import('./commands/summary.js')).summaryCommand),
  lazy('flows', async () => (await import('./commands/flows.js')).flowsCommand),
  lazy('hosts', async () => (await import('./commands/hosts.js')).hostsCommand),
  lazy('alerts', async () => (await import('./commands/alerts.js')).alertsCommand),
  lazy('dns', async () => (await import('./commands/app-tables.js')).dnsCommand),
  lazy('http', async () => (await import('./commands/app-tables.js')).httpCommand),
  lazy('tls', async () => (await import('./commands/app-tables.js')).tlsCommand),
  lazy('dhcp', async () => (await import('./commands/app-tables.js')).dhcpCommand),
  lazy('credentials', async () => (await import('./commands/app-tables.js')).credentialsCommand),
  lazy('files', async () => (await import('./commands/app-tables.js')).filesCommand),
  lazy('ssh', async () => (await import('./commands/app-tables.js')).sshCommand),
  lazy('smb', async () => (await import('./commands/app-tables.js')).smbCommand),
  lazy('sip', async () => (await import('./commands/app-tables.js')).sipCommand),
  lazy('ntp', async () => (await import('./commands/app-tables.js')).ntpCommand),
  lazy('stream', async () => (await import('./commands/stream.js')).streamCommand),
  lazy('top', async () => (await import('./commands/top.js')).topCommand),
  lazy('graph', async () => (await import('./commands/graph.js')).graphCommand),
  lazy('chord', async () => (await import('./commands/chord.js')).chordCommand),
  lazy('matrix', async () => (await import('./commands/matrix.js')).matrixCommand),
  lazy('timeline', async () => (await import('./commands/timeline.js')).timelineCommand),
  lazy('report', async () => (await import('./commands/report.js')).reportCommand),
  lazy('serve', async () => (await import('./commands/serve.js')).serveCommand),
  lazy('import', async () => (await import('./commands/import.js')).importCommand),
  lazy('captures', async () => (await import('./commands/captures.js')).capturesCommand),
  lazy('rm', async () => (await import('./commands/rm.js')).rmCommand),
  lazy('packets', async () => (await import('./commands/packets.js')).packetsCommand),
  lazy('export', async () => (await import('./commands/export.js')).exportCommand),
  lazy('worker', async () => (await import('./commands/worker.js')).workerCommand),
  lazy('user', async () => (await import('./commands/user.js')).userCommand),
  lazy('token', async () => (await import('./commands/token.js')).tokenCommand),
  lazy('share', async () => (await import('./commands/share.js')).shareCommand),
];

/** Every command, loaded (the main help, and callers that want the objects). */
export async function commands(): Promise<readonly Command[]> {
  return Promise.all(commandList().map((c) => c.load()));
}

/** The named command, loaded; undefined for an unknown name. */
async function findCommand(name: string | undefined): Promise<Command | undefined> {
  return commandList()
    .find((c) => c.name === name)
    ?.load();
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export { version };

function mainHelp(all: readonly Command[]): string {
  const w = Math.max(...all.map((c) => c.name.length));
  return `pcaplens ${version()}: turns packet captures (pcap, pcapng, gzip of either) into answers.

Usage: pcaplens <command> <capture...> [--format json|csv|table] [--filter EXPR]

Commands:
${all.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

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
      const cmd = first === 'help' ? await findCommand(rest[0]) : undefined;
      io.stdout.write(cmd ? cmd.help : mainHelp(await commands()));
      return first === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (first === '-V' || first === '--version') {
      io.stdout.write(version() + '\n');
      return EXIT_OK;
    }
    const cmd = await findCommand(first);
    if (!cmd) {
      const what = first.startsWith('-') ? 'unknown option' : 'unknown command';
      io.stderr.write(
        errorLine(
          `${what} '${first}' (commands: ${commandList()
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
