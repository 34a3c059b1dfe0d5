/**
 * Finds where a capture keeps its length fields, so the mutator can hit them on purpose instead of waiting for a
 * random bit flip to land there. Walks pcap records / pcapng blocks, then the frame's link, IP, transport and
 * app headers (DNS, TLS) with its own small parser: independent of the decoders under test, and tolerant (it
 * stops at the first thing it does not understand).
 */

export interface Field {
  /** byte offset in the file */
  off: number;
  /** 1, 2, 3 or 4 bytes */
  size: number;
  bigEndian: boolean;
  /** for a nibble field (IHL, TCP data offset): which bits of the byte */
  mask?: number;
  kind: string;
}

export interface Layout {
  format: 'pcap' | 'pcapng' | 'other';
  /** where records/blocks start and end: [start, end) file offsets (pcap: record header included) */
  units: [number, number][];
  /** bytes before the first unit (pcap global header), empty for pcapng */
  headerEnd: number;
  fields: Field[];
}

const MAX_UNITS = 20000;

/** be: read big-endian */
function u16(b: Uint8Array, o: number, be: boolean): number {
  return be ? (b[o]! << 8) | b[o + 1]! : b[o]! | (b[o + 1]! << 8);
}
function u32(b: Uint8Array, o: number, be: boolean): number {
  return be
    ? ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0
    : (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

export function layoutOf(b: Uint8Array): Layout {
  if (b.length >= 24) {
    const m = u32(b, 0, true);
    // m is read big-endian: the magic as written tells the file's byte order
    if (m === 0xa1b2c3d4 || m === 0xa1b23c4d) return pcapLayout(b, true);
    if (m === 0xd4c3b2a1 || m === 0x4d3cb2a1) return pcapLayout(b, false);
    if (m === 0x0a0d0d0a) return pcapngLayout(b);
  }
  return { format: 'other', units: [], headerEnd: 0, fields: [] };
}

function pcapLayout(b: Uint8Array, be: boolean): Layout {
  const link = u32(b, 20, be) & 0xffff;
  const fields: Field[] = [{ off: 16, size: 4, bigEndian: be, kind: 'pcap.snaplen' }];
  const units: [number, number][] = [];
  let o = 24;
  while (o + 16 <= b.length && units.length < MAX_UNITS) {
    const caplen = u32(b, o + 8, be);
    fields.push(
      { off: o + 8, size: 4, bigEndian: be, kind: 'pcap.caplen' },
      { off: o + 12, size: 4, bigEndian: be, kind: 'pcap.len' },
    );
    const end = o + 16 + caplen;
    if (end > b.length) break;
    units.push([o, end]);
    frameFields(b, o + 16, end, link, fields);
    o = end;
  }
  return { format: 'pcap', units, headerEnd: 24, fields };
}

function pcapngLayout(b: Uint8Array): Layout {
  const fields: Field[] = [];
  const units: [number, number][] = [];
  let be = false;
  let links: number[] = [];
  let o = 0;
  while (o + 12 <= b.length && units.length < MAX_UNITS) {
    if (u32(b, o, true) === 0x0a0d0d0a) {
      be = u32(b, o + 8, true) === 0x1a2b3c4d;
      links = [];
    }
    const type = u32(b, o, be);
    const len = u32(b, o + 4, be);
    fields.push({ off: o + 4, size: 4, bigEndian: be, kind: 'pcapng.block_len' });
    if (len < 12 || len % 4 !== 0 || o + len > b.length) break;
    fields.push({ off: o + len - 4, size: 4, bigEndian: be, kind: 'pcapng.block_len_trailer' });
    units.push([o, o + len]);
    if (type === 1 && len >= 20) {
      links.push(u16(b, o + 8, be));
      fields.push({ off: o + 12, size: 4, bigEndian: be, kind: 'pcapng.idb_snaplen' });
    } else if ((type === 6 || type === 2) && len >= 32) {
      const caplen = u32(b, o + 20, be);
      fields.push(
        { off: o + 20, size: 4, bigEndian: be, kind: 'pcapng.epb_caplen' },
        { off: o + 24, size: 4, bigEndian: be, kind: 'pcapng.epb_len' },
        { off: o + 8, size: type === 6 ? 4 : 2, bigEndian: be, kind: 'pcapng.interface_id' },
      );
      const itf = type === 6 ? u32(b, o + 8, be) : u16(b, o + 8, be);
      const end = Math.min(o + 28 + caplen, o + len - 4);
      if (links[itf] !== undefined) frameFields(b, o + 28, end, links[itf]!, fields);
    } else if (type === 3 && len >= 16) {
      fields.push({ off: o + 8, size: 4, bigEndian: be, kind: 'pcapng.spb_len' });
      if (links[0] !== undefined) frameFields(b, o + 12, o + len - 4, links[0], fields);
    }
    // options of any block: walk the first few option headers (code, length)
    optionFields(b, o, len, type, be, fields);
    o += len;
  }
  return { format: 'pcapng', units, headerEnd: 0, fields };
}

function optionFields(b: Uint8Array, o: number, len: number, type: number, be: boolean, out: Field[]): void {
  let p: number;
  if (type === 0x0a0d0d0a) p = o + 24;
  else if (type === 1) p = o + 16;
  else if (type === 5) p = o + 20;
  else if (type === 6 || type === 2) p = o + 28 + ((u32(b, o + 20, be) + 3) & ~3);
  else return;
  const end = o + len - 4;
  for (let i = 0; i < 8 && p + 4 <= end; i++) {
    out.push({ off: p + 2, size: 2, bigEndian: be, kind: 'pcapng.option_len' });
    const code = u16(b, p, be);
    const olen = u16(b, p + 2, be);
    if (code === 0) break;
    p += 4 + ((olen + 3) & ~3);
  }
}

/** Fields of one frame [s, e) of the given link type. */
function frameFields(b: Uint8Array, s: number, e: number, link: number, out: Field[]): void {
  let o = s;
  let ethertype = -1;
  if (link === 1) {
    if (o + 14 > e) return;
    ethertype = u16(b, o + 12, true);
    o += 14;
    for (let i = 0; i < 3 && (ethertype === 0x8100 || ethertype === 0x88a8) && o + 4 <= e; i++) {
      ethertype = u16(b, o + 2, true);
      o += 4;
    }
  } else if (link === 113) {
    if (o + 16 > e) return;
    ethertype = u16(b, o + 14, true);
    o += 16;
  } else if (link === 276) {
    if (o + 20 > e) return;
    ethertype = u16(b, o, true);
    o += 20;
  } else if (link === 0 || link === 108) {
    if (o + 4 > e) return;
    o += 4;
    ethertype = b[o]! >> 4 === 6 ? 0x86dd : 0x0800;
  } else if (link === 101 || link === 12 || link === 14 || link === 228 || link === 229) {
    if (o >= e) return;
    ethertype = b[o]! >> 4 === 6 ? 0x86dd : 0x0800;
  } else return;
  if (ethertype === 0x0800) ipv4Fields(b, o, e, out);
  else if (ethertype === 0x86dd) ipv6Fields(b, o, e, out);
}

function ipv4Fields(b: Uint8Array, o: number, e: number, out: Field[]): void {
  if (o + 20 > e) return;
  out.push(
    { off: o, size: 1, bigEndian: true, mask: 0x0f, kind: 'ipv4.ihl' },
    { off: o + 2, size: 2, bigEndian: true, kind: 'ipv4.total_len' },
    { off: o + 6, size: 2, bigEndian: true, kind: 'ipv4.frag' },
  );
  const ihl = (b[o]! & 0x0f) * 4;
  const proto = b[o + 9]!;
  const fragOff = u16(b, o + 6, true) & 0x1fff;
  if (ihl < 20 || fragOff !== 0) return;
  l4Fields(b, o + ihl, e, proto, out);
}

function ipv6Fields(b: Uint8Array, o: number, e: number, out: Field[]): void {
  if (o + 40 > e) return;
  out.push({ off: o + 4, size: 2, bigEndian: true, kind: 'ipv6.payload_len' });
  let next = b[o + 6]!;
  let p = o + 40;
  for (let i = 0; i < 8; i++) {
    if (next === 0 || next === 43 || next === 60) {
      if (p + 8 > e) return;
      out.push({ off: p + 1, size: 1, bigEndian: true, kind: 'ipv6.ext_len' });
      next = b[p]!;
      p += (b[p + 1]! + 1) * 8;
    } else if (next === 44) {
      if (p + 8 > e) return;
      out.push({ off: p + 2, size: 2, bigEndian: true, kind: 'ipv6.frag_off' });
      if ((u16(b, p + 2, true) & 0xfff8) !== 0) return;
      next = b[p]!;
      p += 8;
    } else if (next === 51) {
      if (p + 8 > e) return;
      out.push({ off: p + 1, size: 1, bigEndian: true, kind: 'ipv6.ah_len' });
      next = b[p]!;
      p += (b[p + 1]! + 2) * 4;
    } else break;
  }
  l4Fields(b, p, e, next, out);
}

const DNS_PORTS = new Set([53, 5353, 5355, 137]);

function l4Fields(b: Uint8Array, o: number, e: number, proto: number, out: Field[]): void {
  if (proto === 6) {
    if (o + 20 > e) return;
    out.push({ off: o + 12, size: 1, bigEndian: true, mask: 0xf0, kind: 'tcp.data_offset' });
    const doff = (b[o + 12]! >> 4) * 4;
    if (doff < 20) return;
    // TCP options: kind, length
    for (let p = o + 20, i = 0; p + 2 <= Math.min(e, o + doff) && i < 10; i++) {
      const k = b[p]!;
      if (k === 0) break;
      if (k === 1) {
        p++;
        continue;
      }
      out.push({ off: p + 1, size: 1, bigEndian: true, kind: 'tcp.option_len' });
      p += Math.max(2, b[p + 1]!);
    }
    const pay = o + doff;
    if (pay >= e) return;
    const sport = u16(b, o, true);
    const dport = u16(b, o + 2, true);
    if (DNS_PORTS.has(sport) || DNS_PORTS.has(dport)) {
      out.push({ off: pay, size: 2, bigEndian: true, kind: 'dns.tcp_len' });
      dnsFields(b, pay + 2, e, out);
    } else tlsFields(b, pay, e, out);
  } else if (proto === 17) {
    if (o + 8 > e) return;
    out.push({ off: o + 4, size: 2, bigEndian: true, kind: 'udp.len' });
    const sport = u16(b, o, true);
    const dport = u16(b, o + 2, true);
    if (DNS_PORTS.has(sport) || DNS_PORTS.has(dport)) dnsFields(b, o + 8, e, out);
    else if (sport === 443 || dport === 443) {
      // QUIC long header: token length / length varints sit after the connection ids; hit the CID lengths
      if (o + 14 <= e) out.push({ off: o + 8 + 5, size: 1, bigEndian: true, kind: 'quic.dcid_len' });
    } else if (sport === 67 || dport === 67 || sport === 68 || dport === 68) {
      // DHCP options after the 240-byte fixed part: code, length
      for (let p = o + 8 + 240, i = 0; p + 2 <= e && i < 16; i++) {
        if (b[p] === 255) break;
        if (b[p] === 0) {
          p++;
          continue;
        }
        out.push({ off: p + 1, size: 1, bigEndian: true, kind: 'dhcp.option_len' });
        p += 2 + b[p + 1]!;
      }
    }
  } else if (proto === 4) ipv4Fields(b, o, e, out);
  else if (proto === 41) ipv6Fields(b, o, e, out);
}

function dnsFields(b: Uint8Array, o: number, e: number, out: Field[]): void {
  if (o + 12 > e) return;
  for (const k of [4, 6, 8, 10]) out.push({ off: o + k, size: 2, bigEndian: true, kind: 'dns.count' });
  // compression pointers and label lengths: every byte after the header that looks like either
  for (let p = o + 12; p < e && p < o + 512; p++) {
    const c = b[p]!;
    if ((c & 0xc0) === 0xc0 && p + 1 < e) out.push({ off: p, size: 2, bigEndian: true, kind: 'dns.pointer' });
    else if (c > 0 && c < 64 && p + c < e)
      out.push({ off: p, size: 1, bigEndian: true, kind: 'dns.label_len' });
  }
}

function tlsFields(b: Uint8Array, o: number, e: number, out: Field[]): void {
  // a few records in a row (TLS 1.x: type 20..23, version 3.x)
  for (let i = 0; i < 4 && o + 5 <= e; i++) {
    const type = b[o]!;
    if (type < 20 || type > 23 || b[o + 1] !== 3) return;
    out.push({ off: o + 3, size: 2, bigEndian: true, kind: 'tls.record_len' });
    const len = u16(b, o + 3, true);
    if (type === 22 && o + 9 <= e) {
      out.push({ off: o + 6, size: 3, bigEndian: true, kind: 'tls.handshake_len' });
      if (b[o + 5] === 1 || b[o + 5] === 2) helloFields(b, o + 9, Math.min(e, o + 5 + len), out);
      else if (b[o + 5] === 11 && o + 12 <= e)
        out.push({ off: o + 9, size: 3, bigEndian: true, kind: 'tls.cert_list_len' });
    }
    o += 5 + len;
  }
}

/** ClientHello/ServerHello: session id, cipher suites, compression and extension lengths. */
function helloFields(b: Uint8Array, o: number, e: number, out: Field[]): void {
  let p = o + 34;
  if (p >= e) return;
  out.push({ off: p, size: 1, bigEndian: true, kind: 'tls.session_id_len' });
  p += 1 + b[p]!;
  if (p + 2 > e) return;
  out.push({ off: p, size: 2, bigEndian: true, kind: 'tls.cipher_len' });
  p += 2 + u16(b, p, true);
  if (p >= e) return;
  p += 1 + b[p]!;
  if (p + 2 > e) return;
  out.push({ off: p, size: 2, bigEndian: true, kind: 'tls.extensions_len' });
  p += 2;
  for (let i = 0; i < 24 && p + 4 <= e; i++) {
    out.push({ off: p + 2, size: 2, bigEndian: true, kind: 'tls.extension_len' });
    const type = u16(b, p, true);
    const len = u16(b, p + 2, true);
    // server_name: list length, name type, name length
    if (type === 0 && p + 9 <= e) {
      out.push(
        { off: p + 4, size: 2, bigEndian: true, kind: 'tls.sni_list_len' },
        { off: p + 7, size: 2, bigEndian: true, kind: 'tls.sni_len' },
      );
    }
    p += 4 + len;
  }
}
