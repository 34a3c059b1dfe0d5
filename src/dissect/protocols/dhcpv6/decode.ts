/**
 * DHCPv6 messages (RFC 8415 sections 8, 21): type, transaction id and the options that name a client.
 * Relay messages are unwrapped once (Relay Message option). Bounded option walk.
 */
import { has, u16be } from '../../../wire/byte-view.js';
import { ipv6ToString } from '../../../shared/addr.js';
import { latin1 } from '../../../shared/bytes-text.js';

const TYPES = [
  '',
  'SOLICIT',
  'ADVERTISE',
  'REQUEST',
  'CONFIRM',
  'RENEW',
  'REBIND',
  'REPLY',
  'RELEASE',
  'DECLINE',
  'RECONFIGURE',
  'INFORMATION-REQUEST',
  'RELAY-FORW',
  'RELAY-REPL',
];

export interface Dhcpv6Message {
  msgType: string;
  xid: number;
  /** client DUID as hex */
  clientId: string | null;
  serverId: string | null;
  /** addresses in IA_NA / IA_TA IA Address options */
  addresses: string[];
  fqdn: string | null;
  vendorClass: string | null;
  /** Option Request Option codes, comma-separated (a client fingerprint) */
  oro: string | null;
  /** client link-layer address from a DUID-LL/LLT of hardware type 1, else null */
  clientMac: string | null;
}

const hex = (b: Uint8Array, s: number, e: number): string => {
  let h = '';
  for (let i = s; i < e && i - s < 130; i++) h += b[i]!.toString(16).padStart(2, '0');
  return h;
};

export function decodeDhcpv6(b: Uint8Array, off: number, end: number, depth = 0): Dhcpv6Message | null {
  end = Math.min(end, b.length);
  if (!has(off, 4, end)) return null;
  const type = b[off]!;
  if (type === 0 || type > 13) return null;
  if ((type === 12 || type === 13) && depth === 0) {
    // relay: hop count, link address, peer address, then options; find the Relay Message (9)
    let p = off + 34;
    for (let n = 0; p + 4 <= end && n < 64; n++) {
      const code = u16be(b, p);
      const len = u16be(b, p + 2);
      if (p + 4 + len > end) break;
      if (code === 9) return decodeDhcpv6(b, p + 4, p + 4 + len, 1);
      p += 4 + len;
    }
    return null;
  }
  const m: Dhcpv6Message = {
    msgType: TYPES[type]!,
    xid: (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!,
    clientId: null,
    serverId: null,
    addresses: [],
    fqdn: null,
    vendorClass: null,
    oro: null,
    clientMac: null,
  };
  walk(b, off + 4, end, m, 0);
  return m;
}

function walk(b: Uint8Array, p: number, end: number, m: Dhcpv6Message, depth: number): void {
  for (let n = 0; p + 4 <= end && n < 128; n++) {
    const code = u16be(b, p);
    const len = u16be(b, p + 2);
    const d = p + 4;
    if (d + len > end) return;
    switch (code) {
      case 1:
        m.clientId = hex(b, d, d + len);
        // DUID-LLT (1) / DUID-LL (3) with hardware type 1 (Ethernet) end in a MAC address
        if (len >= 10 && u16be(b, d + 2) === 1 && (u16be(b, d) === 1 || u16be(b, d) === 3)) {
          const macOff = d + len - 6;
          m.clientMac = Array.from(b.subarray(macOff, macOff + 6), (x) =>
            x.toString(16).padStart(2, '0'),
          ).join(':');
        }
        break;
      case 2:
        m.serverId = hex(b, d, d + len);
        break;
      case 3: // IA_NA: IAID, T1, T2, options
        if (depth < 2) walk(b, d + 12, d + len, m, depth + 1);
        break;
      case 4: // IA_TA: IAID, options
        if (depth < 2) walk(b, d + 4, d + len, m, depth + 1);
        break;
      case 5:
        if (len >= 24 && m.addresses.length < 16) m.addresses.push(ipv6ToString(b, d));
        break;
      case 6: {
        const codes: number[] = [];
        for (let i = d; i + 1 < d + len && codes.length < 128; i += 2) codes.push(u16be(b, i));
        m.oro = codes.join(',');
        break;
      }
      case 16: // vendor class: enterprise number, then length-prefixed strings
        if (len > 6) m.vendorClass = latin1(b, d + 6, d + 6 + Math.min(u16be(b, d + 4), len - 6), 255);
        break;
      case 39: {
        // flags, then a DNS wire-format name
        const labels: string[] = [];
        let q = d + 1;
        while (q < d + len && b[q]! > 0 && b[q]! < 64 && labels.length < 64) {
          labels.push(latin1(b, q + 1, Math.min(d + len, q + 1 + b[q]!), 63));
          q += 1 + b[q]!;
        }
        m.fqdn = labels.join('.');
        break;
      }
    }
    p = d + len;
  }
}
