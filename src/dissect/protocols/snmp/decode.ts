/**
 * SNMP messages (RFC 1157 v1, RFC 3416 v2c PDUs, RFC 3412/3414 v3 header) through a bounded BER reader:
 * version, community (v1/v2c) or USM user name (v3), PDU type, request id and the variable-binding OIDs.
 */
import { latin1 } from '../../../shared/bytes-text.js';

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function tlv(b: Uint8Array, off: number, limit: number): Tlv | null {
  if (off + 2 > limit) return null;
  const tag = b[off]!;
  let l = b[off + 1]!;
  let p = off + 2;
  if (l & 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return null;
    l = 0;
    for (let i = 0; i < n; i++) l = l * 256 + b[p + i]!;
    p += n;
  }
  if (p + l > limit) return null;
  return { tag, start: p, end: p + l };
}

function int(b: Uint8Array, t: Tlv): number {
  let v = 0;
  for (let i = t.start; i < t.end && i - t.start < 6; i++) v = v * 256 + b[i]!;
  return v;
}

/** Dotted text of a BER OBJECT IDENTIFIER (X.690 section 8.19), at most 64 arcs. */
export function oidText(b: Uint8Array, start: number, end: number): string {
  const arcs: number[] = [];
  let v = 0;
  for (let i = start; i < end && arcs.length < 64; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (arcs.length === 0) {
        const x = v < 40 ? 0 : v < 80 ? 1 : 2;
        arcs.push(x, v - 40 * x);
      } else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

const PDU: Record<number, string> = {
  0xa0: 'get',
  0xa1: 'getnext',
  0xa2: 'response',
  0xa3: 'set',
  0xa4: 'trap',
  0xa5: 'getbulk',
  0xa6: 'inform',
  0xa7: 'trapv2',
  0xa8: 'report',
};

export interface SnmpMessage {
  /** 0 = v1, 1 = v2c, 3 = v3 */
  version: number;
  versionText: string;
  community: string | null;
  /** v3 USM user name */
  user: string | null;
  /** get, getnext, response, set, trap, getbulk, inform, trapv2, report; "encrypted" for v3 privacy */
  pdu: string;
  requestId: number | null;
  oids: string[];
}

/** TLV read by tlvAt: value start and end */
let tStart = 0;
let tEnd = 0;

/** tlv() without an object: -1 where tlv gives null, else the tag (the value in tStart/tEnd) */
function tlvAt(b: Uint8Array, off: number, limit: number): number {
  if (off + 2 > limit) return -1;
  let l = b[off + 1]!;
  let p = off + 2;
  if (l & 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return -1;
    l = 0;
    for (let i = 0; i < n; i++) l = l * 256 + b[p + i]!;
    p += n;
  }
  if (p + l > limit) return -1;
  tStart = p;
  tEnd = p + l;
  return b[off]!;
}

/** What snmpCommunityAt found: the version and the community's bytes [start, end) */
export const communitySpan = { version: 0, start: 0, end: 0 };

/**
 * Version and community of a v1/v2c message, read as decodeSnmp reads them, into communitySpan: false exactly
 * when decodeSnmp gives null or no community. A test that makes nothing, before the message is decoded.
 */
export function snmpCommunityAt(b: Uint8Array, off: number, end: number): boolean {
  end = Math.min(end, b.length);
  if (tlvAt(b, off, end) !== 0x30) return false;
  const msgEnd = tEnd;
  if (tlvAt(b, tStart, msgEnd) !== 0x02) return false;
  let version = 0;
  for (let i = tStart; i < tEnd && i - tStart < 6; i++) version = version * 256 + b[i]!;
  if (version !== 0 && version !== 1) return false;
  if (tlvAt(b, tEnd, msgEnd) !== 0x04) return false;
  communitySpan.version = version;
  communitySpan.start = tStart;
  communitySpan.end = tEnd;
  return true;
}

/** "version community" (community as decodeSnmp's text), or null: snmpCommunityAt as a string */
export function snmpCommunityKey(b: Uint8Array, off: number, end: number): string | null {
  if (!snmpCommunityAt(b, off, end)) return null;
  const c = communitySpan;
  return `${c.version} ${latin1(b, c.start, c.end, 256)}`;
}

export function decodeSnmp(b: Uint8Array, off: number, end: number): SnmpMessage | null {
  end = Math.min(end, b.length);
  const msg = tlv(b, off, end);
  if (!msg || msg.tag !== 0x30) return null;
  const ver = tlv(b, msg.start, msg.end);
  if (!ver || ver.tag !== 0x02) return null;
  const version = int(b, ver);
  if (version !== 0 && version !== 1 && version !== 3) return null;
  const m: SnmpMessage = {
    version,
    versionText: version === 0 ? 'v1' : version === 1 ? 'v2c' : 'v3',
    community: null,
    user: null,
    pdu: '',
    requestId: null,
    oids: [],
  };
  let pduTlv: Tlv | null;
  if (version === 3) {
    const global = tlv(b, ver.end, msg.end);
    const sec = global && tlv(b, global.end, msg.end);
    if (!global || !sec || sec.tag !== 0x04) return null;
    // USM parameters: SEQUENCE { engineID, boots, time, userName, auth, priv }
    const usm = tlv(b, sec.start, sec.end);
    if (usm && usm.tag === 0x30) {
      let p = usm.start;
      for (let i = 0; i < 4; i++) {
        const f = tlv(b, p, usm.end);
        if (!f) break;
        if (i === 3 && f.tag === 0x04) m.user = latin1(b, f.start, f.end, 64);
        p = f.end;
      }
    }
    const data = tlv(b, sec.end, msg.end);
    if (!data) return m;
    if (data.tag === 0x04) {
      m.pdu = 'encrypted';
      return m;
    }
    // ScopedPDU: SEQUENCE { contextEngineID, contextName, PDU }
    const ce = tlv(b, data.start, data.end);
    const cn = ce && tlv(b, ce.end, data.end);
    pduTlv = cn ? tlv(b, cn.end, data.end) : null;
  } else {
    const comm = tlv(b, ver.end, msg.end);
    if (!comm || comm.tag !== 0x04) return null;
    m.community = latin1(b, comm.start, comm.end, 256);
    pduTlv = tlv(b, comm.end, msg.end);
  }
  if (!pduTlv) return m;
  m.pdu = PDU[pduTlv.tag] ?? `0x${pduTlv.tag.toString(16)}`;
  if (pduTlv.tag === 0xa4) {
    // v1 trap: enterprise OID, agent address, generic, specific, timestamp, varbinds
    const ent = tlv(b, pduTlv.start, pduTlv.end);
    if (ent && ent.tag === 0x06) m.oids.push(oidText(b, ent.start, ent.end));
    return m;
  }
  const rid = tlv(b, pduTlv.start, pduTlv.end);
  if (!rid || rid.tag !== 0x02) return m;
  m.requestId = int(b, rid);
  const es = tlv(b, rid.end, pduTlv.end);
  const ei = es && tlv(b, es.end, pduTlv.end);
  const vbl = ei && tlv(b, ei.end, pduTlv.end);
  if (!vbl || vbl.tag !== 0x30) return m;
  let p = vbl.start;
  while (p < vbl.end && m.oids.length < 64) {
    const vb = tlv(b, p, vbl.end);
    if (!vb) break;
    const name = tlv(b, vb.start, vb.end);
    if (name && name.tag === 0x06) m.oids.push(oidText(b, name.start, name.end));
    p = vb.end;
  }
  return m;
}
