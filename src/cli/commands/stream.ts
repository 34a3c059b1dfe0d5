/**
 * `pcaplens stream <capture|@ID> --flow ID`: one conversation's payload in order, as text (non-printable bytes
 * escaped, each direction change marked), a hex dump, or the raw bytes.
 */
import { PcaplensError } from '../../shared/errors.js';
import { followStream, type StreamChunk } from '../../engine/follow-stream.js';
import { hexDump } from '../format/hex-dump.js';
import { writeOut, type CliIo } from '../io.js';
import { STORE_HELP, STORE_OPTIONS, captureArg, parseCommand, withStore } from '../store-args.js';
import type { Command } from './command.js';

const AS = ['ascii', 'hex', 'raw'] as const;
const DIRECTIONS = ['both', 'fwd', 'rev'] as const;

const HELP = `Usage: pcaplens stream <capture...|@ID> --flow ID [--as ascii|hex|raw] [--direction both|fwd|rev]

The payload of one conversation (flow ids as pcaplens flows prints them), in capture order: TCP reassembled
per direction (retransmissions once, lost bytes counted), UDP one datagram at a time. The bytes are read again
from the capture files each time.

Options:
      --flow ID        the flow to follow
      --as FORMAT      ascii (default): text with each direction marked (>> from the flow's source, << from
                       its destination) and bytes that are not printable shown as \\xNN; hex: a hex dump per
                       chunk; raw: the payload bytes alone, as sent
      --direction DIR  both (default), fwd (source to destination) or rev
      --max-bytes N    stop after N payload bytes (default 64 MiB)
  -h, --help           this help
${STORE_HELP}

Example:
  pcaplens stream traffic.pcap --flow 12 --as ascii | less -R
`;

/** Printable ASCII, tab and line feed as they are; CR LF as a line end; everything else escaped. */
export function asciiText(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x0d && b[i + 1] === 0x0a) continue;
    if (c === 0x5c) out += '\\\\';
    else if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x09) out += String.fromCharCode(c);
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out;
}

function header(c: StreamChunk): string {
  const mark = c.direction === 'fwd' ? '>>' : '<<';
  const gap = c.gap > 0 ? `[${c.gap} bytes missing]\n` : '';
  return `${gap}${mark} ${c.direction}  packet ${c.packet}  ${c.ts}  ${c.bytes.length} bytes\n`;
}

function oneOf<T extends string>(v: string | undefined, list: readonly T[], name: string): T {
  const x = (v ?? list[0]) as T;
  if (!list.includes(x))
    throw new PcaplensError('E_USAGE', `stream: --${name} must be one of ${list.join(', ')}, not '${v}'`);
  return x;
}

export const streamCommand: Command = {
  name: 'stream',
  summary: "one conversation's payload in order (follow stream): text, hex dump or raw bytes",
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'stream', {
      ...STORE_OPTIONS,
      flow: { type: 'string' },
      as: { type: 'string' },
      direction: { type: 'string' },
      'max-bytes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (v.flow === undefined || !/^\d{1,15}$/.test(v.flow) || Number(v.flow) < 1)
      throw new PcaplensError('E_USAGE', 'stream: --flow ID (a flow id from pcaplens flows) is required');
    const flowId = Number(v.flow);
    const as = oneOf(v.as, AS, 'as');
    const direction = oneOf(v.direction, DIRECTIONS, 'direction');
    const maxBytes = v['max-bytes'] !== undefined ? Number(v['max-bytes']) : undefined;
    if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0))
      throw new PcaplensError(
        'E_USAGE',
        `stream: --max-bytes must be a whole number, not '${v['max-bytes']}'`,
      );
    const arg = captureArg(positionals, 'stream');
    const opts = { direction, maxBytes, signal: io.signal };
    const chunks =
      'captureId' in arg
        ? await withStore(v, (store, dataDir) =>
            followStream({ store, dataDir, captureId: arg.captureId }, flowId, opts),
          )
        : await followStream({ paths: arg.paths }, flowId, opts);
    if (as === 'raw') {
      // the payload as bytes: process.stdout takes them as they are
      const out = io.stdout as unknown as { write(b: Uint8Array): boolean };
      for (const c of chunks) out.write(c.bytes);
      return 0;
    }
    for (const c of chunks) {
      const body = as === 'hex' ? hexDump(c.bytes) : asciiText(c.bytes);
      await writeOut(io.stdout, header(c) + body + (body.endsWith('\n') ? '' : '\n'));
    }
    const last = chunks[chunks.length - 1];
    if (last?.truncated) io.stderr.write('pcaplens: stream cut at --max-bytes\n');
    if (chunks.length === 0) io.stderr.write(`pcaplens: flow ${flowId} carries no payload\n`);
    return 0;
  },
};
