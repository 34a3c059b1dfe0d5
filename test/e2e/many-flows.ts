/**
 * Writes a capture of `n` UDP conversations, one datagram each (Ethernet, IPv4 with a valid header checksum,
 * UDP), so a browser test has a table of thousands of sessions without shipping a large file. Sources
 * 10.0.0.0/16 in order, destination 192.0.2.7 (TEST-NET-1, RFC 5737) on ports 20000 + i % 1000, one
 * millisecond apart; the payload grows with i so the sessions sort differently by bytes than by id.
 */
import { writeFile } from 'node:fs/promises';
import { PcapWriter } from '../../src/wire/pcap-writer.js';

function ipChecksum(b: Uint8Array, off: number): number {
  let sum = 0;
  for (let k = 0; k < 20; k += 2) sum += (b[off + k]! << 8) | b[off + k + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export async function writeManyFlows(path: string, n: number): Promise<void> {
  const chunks: Uint8Array[] = [];
  const w = new PcapWriter((c) => void chunks.push(c.slice()), { linkType: 1, snaplen: 65535 });
  const frame = new Uint8Array(14 + 20 + 8 + 64);
  const v = new DataView(frame.buffer);
  frame.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01], 0);
  v.setUint16(12, 0x0800);
  const t0 = 1_700_000_000;
  for (let i = 0; i < n; i++) {
    const payload = 1 + ((i * 7919) % 64);
    const ipLen = 20 + 8 + payload;
    frame.fill(0, 14, 14 + 20);
    frame[14] = 0x45;
    v.setUint16(16, ipLen);
    v.setUint16(18, i & 0xffff);
    frame[22] = 64;
    frame[23] = 17;
    frame.set([10, 0, (i >>> 8) & 0xff, i & 0xff], 26);
    frame.set([192, 0, 2, 7], 30);
    v.setUint16(24, ipChecksum(frame, 14));
    v.setUint16(34, 30000 + (i % 20000));
    v.setUint16(36, 20000 + (i % 1000));
    v.setUint16(38, 8 + payload);
    v.setUint16(40, 0);
    for (let k = 0; k < payload; k++) frame[42 + k] = 0x61 + (k % 26);
    const len = 14 + ipLen;
    const ms = i;
    w.write(t0 + Math.floor(ms / 1000), (ms % 1000) * 1_000_000, frame, 0, len, len);
  }
  w.flush();
  await writeFile(path, Buffer.concat(chunks));
}
