import { exportToFile, formatForPath, type ExportFormat } from '../../engine/export.js';
import type { CaptureSource } from '../../engine/capture-source.js';
import { PcaplensError } from '../../shared/errors.js';
import { terminalSafe } from '../format/terminal-safe.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { STORE_HELP, STORE_OPTIONS, captureArg, parseCommand, withStore } from '../store-args.js';
import type { Command } from './command.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the frames matching a filter to a new pcap/pcapng file (bytes copied from the original)',
  help: `Usage: pcaplens export <capture...|@ID> --filter EXPR [--from TIME] [--to TIME] -o OUT.pcap|OUT.pcapng [--force]

Writes exactly the frames that match, in frame order, copied from the original capture files: link types,
timestamps (nanoseconds kept: pcapng if_tsresol 9, or the nanosecond pcap magic, when the source has them),
captured bytes and original lengths. The output format follows the file name: .pcapng (several link types
allowed, one interface per source interface) or .pcap (one link type: a selection with several is refused,
write .pcapng instead). The file is written under a temporary name and renamed when complete.

Options:
      --filter EXPR  frames to keep: frame fields (frame.len, frame.time, frame.protocol, frame.number) and
                     conversation fields (ip.addr == 10.0.0.0/8, tcp.port == 443, app == "dns",
                     flow.bytes > 1000000) mixed freely; without it every frame in the time window
      --from TIME    frames at or after TIME: ISO-8601 or +DURATION after the capture start (+30s, +5m)
      --to TIME      frames at or before TIME
  -o, --output OUT   the file to write (.pcap or .pcapng; another extension writes pcapng)
      --force        overwrite OUT if it exists
${STORE_HELP}
  -h, --help         this help

Prints one line on stderr: frames written and the output file.

Example:
  pcaplens export @1 --filter 'ip.addr == 10.1.2.3 and tcp.port == 445' -o smb.pcapng
  pcaplens export big.pcap --filter 'dns' --from +1h --to +2h -o dns.pcap
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'export', {
      ...STORE_OPTIONS,
      filter: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const arg = captureArg(positionals, 'export');
    if (!v.output) throw new PcaplensError('E_USAGE', 'export: no output file given (-o out.pcapng)');
    const out = v.output;
    const format: ExportFormat = formatForPath(out) ?? 'pcapng';
    const run = async (source: CaptureSource) => {
      const bar = new ProgressBar(io.stderr);
      try {
        return await exportToFile(
          source,
          {
            format,
            filter: v.filter,
            from: v.from,
            to: v.to,
            force: v.force === true,
            signal: io.signal,
            onProgress: (p) => bar.update(p),
          },
          out,
        );
      } finally {
        bar.clear();
      }
    };
    const result =
      'paths' in arg
        ? await run({ paths: arg.paths })
        : await withStore(v, (store, dataDir) => run({ store, dataDir, captureId: arg.captureId }));
    io.stderr.write(
      terminalSafe(`pcaplens: wrote ${result.packets} frames (${result.bytes} bytes, ${format}) to ${out}`) +
        '\n',
    );
    return 0;
  },
};
