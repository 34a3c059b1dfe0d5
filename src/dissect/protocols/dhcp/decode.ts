/**
 * DHCP / BOOTP messages (RFC 2131 section 2, options RFC 2132). Fixed 236-byte BOOTP header, the magic cookie,
 * then options; only the options useful to an investigator are kept. Bounded: option walk stops at the end of
 * the datagram, at END, or after 255 options.
 */
import { has, u16be, u32be } from '../../../wire/byte-view.js';
import { ipv4ToString, macToString } from '../../../shared/addr.js';
import { latin1 } from '../../../shared/bytes-text.js';

const MSG_TYPES = [
  '',
  'DISCOVER',
  'OFFER',
  'REQUEST',
  'DECLINE',
  'ACK',
  'NAK',
  'RELEASE',
  'INFORM',
  'FORCERENEW',
  'LEASEQUERY',
  'LEASEUNASSIGNED',
  'LEASEUNKNOWN',
  'LEASEACTIVE',
];

export interface DhcpMessage {
  /** 1 BOOTREQUEST, 2 BOOTREPLY */
  op: number;
  xid: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** client hardware address (Ethernet only), else null */
  chaddr: string | null;
  /** DHCP message type name; "BOOTP" when option 53 is absent */
  msgType: string;
  requestedIp: string | null;
  hostName: string | null;
  vendorClass: string | null;
  /** option 55 codes, comma-separated: a client fingerprint */
  paramRequestList: string | null;
  serverId: string | null;
  leaseTime: number | null;
  /** option 81 client FQDN name */
  fqdn: string | null;
  /** option 61 as hex */
  clientId: string | null;
}

export const DHCP_MAGIC = 0x63825363;

export function decodeDhcp(b: Uint8Array, off: number, end: number): DhcpMessage | null {
  end = Math.min(end, b.length);
  if (!has(off, 240, end)) return null;
  const op = b[off]!;
  if (op !== 1 && op !== 2) return null;
  if (u32be(b, off + 236) !== DHCP_MAGIC) return null;
  const htype = b[off + 1]!;
  const hlen = b[off + 2]!;
  const m: DhcpMessage = {
    op,
    xid: u32be(b, off + 4),
    ciaddr: ipv4ToString(u32be(b, off + 12)),
    yiaddr: ipv4ToString(u32be(b, off + 16)),
    siaddr: ipv4ToString(u32be(b, off + 20)),
    giaddr: ipv4ToString(u32be(b, off + 24)),
    chaddr: htype === 1 && hlen === 6 ? macToString(b, off + 28) : null,
    msgType: 'BOOTP',
    requestedIp: null,
    hostName: null,
    vendorClass: null,
    paramRequestList: null,
    serverId: null,
    leaseTime: null,
    fqdn: null,
    clientId: null,
  };
  let p = off + 240;
  for (let n = 0; p < end && n < 255; n++) {
    const code = b[p]!;
    if (code === 0) {
      p++;
      continue;
    }
    if (code === 255 || p + 1 >= end) break;
    const len = b[p + 1]!;
    const d = p + 2;
    if (d + len > end) break;
    switch (code) {
      case 53:
        if (len >= 1) m.msgType = MSG_TYPES[b[d]!] || `TYPE${b[d]}`;
        break;
      case 50:
        if (len === 4) m.requestedIp = ipv4ToString(u32be(b, d));
        break;
      case 54:
        if (len === 4) m.serverId = ipv4ToString(u32be(b, d));
        break;
      case 51:
        if (len === 4) m.leaseTime = u32be(b, d);
        break;
      case 12:
        m.hostName = latin1(b, d, d + len, 255);
        break;
      case 60:
        m.vendorClass = latin1(b, d, d + len, 255);
        break;
      case 55: {
        const codes: number[] = [];
        for (let i = d; i < d + len; i++) codes.push(b[i]!);
        m.paramRequestList = codes.join(',');
        break;
      }
      case 61: {
        let h = '';
        for (let i = d; i < d + len; i++) h += b[i]!.toString(16).padStart(2, '0');
        m.clientId = h;
        break;
      }
      case 81:
        // flags, rcode1, rcode2, then the name (ASCII, or DNS wire format when the E flag is set)
        if (len > 3) m.fqdn = b[d]! & 0x04 ? wireName(b, d + 3, d + len) : latin1(b, d + 3, d + len, 255);
        break;
    }
    p = d + len;
  }
  return m;
}

/** Uncompressed DNS wire-format name (no pointers allowed in option 81). */
function wireName(b: Uint8Array, p: number, end: number): string {
  const labels: string[] = [];
  while (p < end && b[p]! > 0 && b[p]! < 64 && labels.length < 64) {
    labels.push(latin1(b, p + 1, Math.min(end, p + 1 + b[p]!), 63));
    p += 1 + b[p]!;
  }
  return labels.join('.');
}

/** Port-independent test: BOOTP op, Ethernet-like hardware fields and the magic cookie. */
export function looksLikeDhcp(b: Uint8Array, off: number, len: number): boolean {
  return (
    len >= 240 &&
    (b[off] === 1 || b[off] === 2) &&
    b[off + 2]! <= 16 &&
    u16be(b, off + 236) === 0x6382 &&
    u16be(b, off + 238) === 0x5363
  );
}
