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
  /** transmit timestamp (RFC 5905 section 6): seconds since 1900 (era 0) and the binary fraction */
  xmtSec: number;
  xmtFrac: number;
}

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX = 2208988800;

/**
 * An NTP timestamp as Unix seconds and nanoseconds; null when it is zero (not set). Era: values below 2^31
 * count from 2036 (era 1), as RFC 4330 section 3 advises, so every time from 1968 to 2104 comes out right.
 */
export function ntpTime(sec: number, frac: number): { sec: number; nsec: number } | null {
  if (sec === 0 && frac === 0) return null;
  const full = sec < 0x80000000 ? sec + 0x100000000 : sec;
  return { sec: full - NTP_UNIX, nsec: Math.floor((frac * 1e9) / 0x100000000) };
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
  return {
    version: v,
    mode,
    modeText: MODES[mode]!,
    stratum,
    refId,
    xmtSec: u32be(b, off + 40),
    xmtFrac: u32be(b, off + 44),
  };
}
