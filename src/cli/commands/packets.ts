import { packetDetail, type FieldNode, type PacketDetail } from '../../engine/packet-detail.js';
import { packetListRow, walkFrames, type PacketListRow } from '../../engine/frames.js';
import type { CaptureSource } from '../../engine/capture-source.js';
import { PcaplensError } from '../../shared/errors.js';
import { FORMATS, type OutputFormat } from '../args.js';
import { hexDump } from '../format/hex-dump.js';
import { jsonObject } from '../format/json.js';
import { RowStream } from '../format/row-stream.js';
import { terminalSafe } from '../format/terminal-safe.js';
import { writeOut, type CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { STORE_HELP, STORE_OPTIONS, captureArg, intOption, parseCommand, withStore } from '../store-args.js';
import { FORMAT_HELP, type Command } from './command.js';
import { writeRows } from './table-output.js';

const COLUMNS = [
  'n',
  'ts',
  'len',
  'caplen',
  'protocol',
  'flow_id',
  'proto',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'app',
] as const satisfies readonly (keyof PacketListRow)[];
const TABLE_COLUMNS = [
  'n',
  'ts',
  'len',
  'protocol',
  'flow_id',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'app',
];

function renderFields(fields: FieldNode[], depth: number, out: string[]): void {
  for (const f of fields) {
    const range = f.length ? `  [${f.offset}+${f.length}]` : '';
    out.push(`${'    '.repeat(depth)}${f.name}${f.value !== '' ? `: ${f.value}` : ''}${range}`);
    if (f.children) renderFields(f.children, depth + 1, out);
  }
}

/** The detail as text: a header line, each layer with its fields indented, then the hex dump. */
export function renderDetail(d: PacketDetail): string {
  const out = [
    `Frame ${d.n}: ${d.len} bytes on wire, ${d.caplen} captured, ${d.ts}, ${d.link_type_name} (${d.link_type})` +
      (d.flow_id !== null ? `, flow ${d.flow_id}` : ''),
  ];
  if (d.comment !== null) out.push(`  Comment: ${d.comment}`);
  for (const l of d.layers) {
    out.push(`${l.name}  [${l.offset}+${l.length}]${l.problem ? `  (${l.problem})` : ''}`);
    renderFields(l.fields, 1, out);
  }
  return out.map((l) => terminalSafe(l)).join('\n') + '\n\n' + hexDump(Buffer.from(d.bytes, 'hex'));
}

export const packetsCommand: Command = {
  name: 'packets',
  summary: 'the frame list (number, time, length, protocol, conversation), or one frame decoded (--detail N)',
  help: `Usage: pcaplens packets <capture...|@ID> [--filter EXPR] [--from TIME] [--to TIME] [--limit N] [--format ...]
       pcaplens packets <capture...|@ID> --detail N [--format json|table]

One row per frame: number (as Wireshark numbers frames; merged captures are numbered over the merge), time,
length on the wire and captured, top protocol decoded, and the conversation the frame belongs to
(flow_id with its endpoints: src is the side that sent first, whichever way this frame went) and its
detected application. A stored capture (@ID, see pcaplens import) is read from its packet index; files are
read once.

--detail N decodes frame N: its layers as a tree (each field with its byte offset and length in the frame)
and a hex dump; the bytes are read again from the capture file. json gives the same as one object.

Options:
      --detail N     decode frame N
      --filter EXPR  frames matching EXPR: frame fields (frame.len > 1000, frame.protocol == "dns",
                     frame.number <= 100) and conversation fields (ip.addr == 10.0.0.1, tcp.port == 443,
                     app == "tls", flow.bytes > 1000000) mixed freely
      --from TIME    frames at or after TIME: ISO-8601 or +DURATION after the capture start (+30s, +5m)
      --to TIME      frames at or before TIME
      --limit N      at most N frames
${FORMAT_HELP}
${STORE_HELP}

Example:
  pcaplens packets @1 --filter 'tcp.port == 443 and frame.len > 1000' --from +5m --limit 20
  pcaplens packets capture.pcap --detail 42
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'packets', {
      ...STORE_OPTIONS,
      format: { type: 'string', short: 'f' },
      filter: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string' },
      detail: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const arg = captureArg(positionals, 'packets');
    const format = (v.format ?? (io.stdout.isTTY ? 'table' : 'json')) as OutputFormat;
    if (!FORMATS.includes(format))
      throw new PcaplensError(
        'E_USAGE',
        `packets: --format must be one of ${FORMATS.join(', ')}, not '${v.format}'`,
      );
    const limit = intOption(v.limit, 'limit', 'packets');
    const detail = intOption(v.detail, 'detail', 'packets');
    if (detail !== undefined && (v.filter !== undefined || v.from !== undefined || v.to !== undefined))
      throw new PcaplensError(
        'E_USAGE',
        'packets: --detail shows one frame; --filter/--from/--to do not apply',
      );

    const run = async (source: CaptureSource) => {
      if (detail !== undefined) {
        const d = await packetDetail(source, detail);
        if (format === 'json') await writeOut(io.stdout, jsonObject(d));
        else if (format === 'csv')
          throw new PcaplensError('E_USAGE', 'packets: --detail prints json or table, not csv');
        else await writeOut(io.stdout, renderDetail(d));
        return;
      }
      const bar = new ProgressBar(io.stderr);
      const rows: PacketListRow[] = [];
      const stream = format === 'table' ? null : new RowStream(io.stdout, format, COLUMNS);
      try {
        await walkFrames(
          source,
          { filter: v.filter, from: v.from, to: v.to },
          (p, f) => {
            if (limit !== undefined && added >= limit) return false;
            added++;
            const row = packetListRow(p, f);
            if (stream) stream.add(row);
            else rows.push(row);
            return true;
          },
          { withFlows: true, signal: io.signal, onProgress: (p) => bar.update(p) },
        );
      } finally {
        bar.clear();
      }
      if (stream) await stream.end();
      else await writeRows(io.stdout, format, rows, COLUMNS, TABLE_COLUMNS);
    };
    let added = 0;
    if ('paths' in arg) await run({ paths: arg.paths });
    else await withStore(v, (store, dataDir) => run({ store, dataDir, captureId: arg.captureId }));
    return 0;
  },
};
