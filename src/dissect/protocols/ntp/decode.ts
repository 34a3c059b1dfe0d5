/** NTP packet header (RFC 5905 section 7.3): version, mode, stratum, reference id. */
import { has, u32be } from '../../../wire/byte-view.js';
import { ipv4ToString } from '../../../shared/addr.js';

const MODES = [
  'reserved',
  'symmetric active',
  'symmetric passive',
  'client',
  'server',
  'broadcast',
  'control',
  'private',
];

export interface NtpMessage {
  version: number;
  mode: number;
  modeText: string;
  stratum: number;
  /** stratum 0/1: four ASCII letters (kiss code or clock source); higher strata: the upstream server's IPv4 */
  refId: string;
}

export function decodeNtp(b: Uint8Array, off: number, end: number): NtpMessage | null {
  if (!has(off, 48, Math.min(end, b.length))) return null;
  const v = (b[off]! >> 3) & 7;
  const mode = b[off]! & 7;
  if (v < 1 || v > 4) return null;
  const stratum = b[off + 1]!;
  let refId: string;
  if (stratum <= 1) {
    refId = '';
    for (let i = 0; i < 4; i++) {
      const c = b[off + 12 + i]!;
      if (c >= 0x20 && c < 0x7f) refId += String.fromCharCode(c);
    }
  } else refId = ipv4ToString(u32be(b, off + 12));
  return { version: v, mode, modeText: MODES[mode]!, stratum, refId };
}
