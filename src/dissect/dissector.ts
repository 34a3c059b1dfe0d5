/**
 * The decoding contract (gopacket DecodingLayerParser style): one Packet struct per pipeline, reset and
 * filled in place for every frame. Decoders never allocate, never throw; they set `status` and return.
 */
import type { FieldDef } from '../shared/fields.js';
import { EMPTY_BYTES } from '../wire/record.js';
import { P_COUNT } from './proto-ids.js';

export const STATUS_OK = 0;
/** the frame ended (snaplen) before a header it announced */
export const STATUS_TRUNCATED = 1;
/** a header contradicts itself (bad version, length smaller than the header, ...) */
export const STATUS_MALFORMED = 2;

/** Transport kind of a NetLayer. */
export const L4_NONE = 0;
export const L4_TCP = 1;
export const L4_UDP = 2;
export const L4_ICMP = 3;
export const L4_ICMPV6 = 4;
export const L4_SCTP = 5;
/** another IP protocol (GRE, ESP, IGMP, ...): the layer is an IP-level conversation */
export const L4_OTHER = 6;

/** Fragment state of a NetLayer. */
export const FRAG_NONE = 0;
/** a fragment whose datagram is not (yet) complete: nothing above IP was decoded */
export const FRAG_PENDING = 1;
/** the last fragment of a datagram: the transport was decoded from the reassembled bytes */
export const FRAG_REASSEMBLED = 2;

/** TCP flag bits as on the wire (low byte of the flags field) plus NS in bit 8. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

/** Most IP headers (outer to inner) kept per frame: outer tunnel, inner, one more level of nesting. */
export const MAX_NET_LAYERS = 4;
export const MAX_VLANS = 4;
/** Recursion guard for nested decoders (tunnels in tunnels in ...). */
export const MAX_DEPTH = 24;

/** One IP header and the transport above it. */
export class NetLayer {
  version: 0 | 4 | 6 = 0;
  /** buffer holding the IP header */
  buf: Uint8Array = EMPTY_BYTES;
  ipOff = 0;
  /** IPv4 addresses as unsigned 32-bit numbers */
  src4 = 0;
  dst4 = 0;
  /** IPv6: offsets in `buf` of the 16-byte source/destination addresses */
  srcOff = 0;
  dstOff = 0;
  /**
   * IPv6: offset of the final destination, which differs from dstOff when a routing header has segments
   * left. Transport conversations use it (as Wireshark's TCP/UDP ones do); IP endpoints use dstOff.
   */
  finalDstOff = 0;
  /** upper protocol after IPv6 extension headers; -1 when not reached */
  ipProto = -1;
  /** TTL / hop limit */
  ttl = 0;
  /** IPv4 identification, or IPv6 fragment identification */
  ipId = 0;
  /** IP total length as announced (IPv6: 40 + payload length, or jumbo) */
  ipLen = 0;
  frag = FRAG_NONE;
  /** fragment offset in bytes and more-fragments flag of this header */
  fragOffset = 0;
  fragMore = false;
  /** number of IPv6 extension headers walked */
  extCount = 0;
  l4 = L4_NONE;
  /** buffer holding the transport header and payload (a reassembly buffer for reassembled datagrams) */
  pbuf: Uint8Array = EMPTY_BYTES;
  l4Off = 0;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  tcpSeq = 0;
  tcpAck = 0;
  tcpWin = 0;
  /** TCP options of interest (-1 when absent) */
  tcpMss = -1;
  tcpWscale = -1;
  /** TCP fields were read but the header runs past the segment: not a TCP conversation (l4 stays OTHER) */
  tcpShort = false;
  icmpType = -1;
  icmpCode = -1;
  /** ICMPv6 neighbour solicitation/advertisement target address offset in pbuf, else -1 */
  ndTargetOff = -1;
  /** offset of the quoted datagram inside an ICMP/ICMPv6 error (not decoded, not counted), else -1 */
  quotedOff = -1;
  /** application payload in pbuf */
  payloadOff = 0;
  payloadLen = 0;
  /** 0 for the outermost IP header; +1 for each tunnel level */
  tunnelDepth = 0;
  /** the link header enclosing this IP header: MAC offsets in macBuf (-1 when absent), innermost VLAN id */
  macBuf: Uint8Array = EMPTY_BYTES;
  srcMacOff = -1;
  dstMacOff = -1;
  vlan = -1;

  reset(): void {
    this.version = 0;
    this.ipProto = -1;
    this.frag = FRAG_NONE;
    this.fragOffset = 0;
    this.fragMore = false;
    this.extCount = 0;
    this.l4 = L4_NONE;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = 0;
    this.tcpSeq = 0;
    this.tcpAck = 0;
    this.tcpWin = 0;
    this.tcpMss = -1;
    this.tcpWscale = -1;
    this.tcpShort = false;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.ndTargetOff = -1;
    this.quotedOff = -1;
    this.payloadOff = 0;
    this.payloadLen = 0;
    this.ttl = 0;
    this.ipId = 0;
    this.ipLen = 0;
  }
}

/**
 * Reassembles IP fragments for the decoders. Implemented in flow/ (it keeps state across packets); the
 * dissector only sees this interface. Returns the reassembled IP payload (the bytes after the IP header(s))
 * in `out`/`outLen` when this fragment completes a datagram, else false.
 */
export interface FragmentSink {
  fragment(
    p: Packet,
    layer: NetLayer,
    ipProto: number,
    ident: number,
    fragOffset: number,
    more: boolean,
    b: Uint8Array,
    off: number,
    len: number,
  ): boolean;
  readonly out: Uint8Array;
  readonly outLen: number;
}

/** The reused per-frame struct filled by decoders. */
export class Packet {
  status = STATUS_OK;
  linkType = 0;
  /** frame bytes are buf[off, end); frameLen is the length on the wire */
  buf: Uint8Array = EMPTY_BYTES;
  off = 0;
  end = 0;
  frameLen = 0;
  tsSec = 0;
  tsNsec = 0;

  /** protocols present in this frame (each counted once per frame), in the order first seen */
  readonly protoSeen = new Uint8Array(P_COUNT);
  readonly protoList = new Uint8Array(P_COUNT);
  protoCount = 0;

  /** link layer of the innermost link header seen so far */
  macBuf: Uint8Array = EMPTY_BYTES;
  srcMacOff = -1;
  dstMacOff = -1;
  /** last EtherType (or PPP/SLL protocol mapped to one) dispatched on, -1 if none */
  etherType = -1;
  /** 802.1Q / 802.1ad tags, outer to inner */
  readonly vlanIds = new Int32Array(MAX_VLANS);
  vlanCount = 0;
  mplsCount = 0;
  /** top MPLS label, -1 if none */
  mplsLabel = -1;
  /** PPPoE session id, -1 if none */
  pppoeSession = -1;
  /** PPP protocol number, -1 if none */
  pppProto = -1;

  /** ARP (Ethernet/IPv4 only): opcode, offsets of sender/target MAC in arpBuf, IPv4 addresses */
  arpOp = -1;
  arpBuf: Uint8Array = EMPTY_BYTES;
  arpShaOff = -1;
  arpThaOff = -1;
  arpSpa = 0;
  arpTpa = 0;

  /** 802.11 frame control type/subtype (-1 if not 802.11) and protected flag */
  wlanType = -1;
  wlanSubtype = -1;
  wlanProtected = false;

  /** IP headers, outer to inner */
  readonly layers: NetLayer[] = [];
  layerCount = 0;

  /** decoder calls so far in this frame: caps crafted nesting (tunnels in tunnels ...) */
  depth = 0;
  tunnelDepth = 0;

  /** set by the flow layer to enable IP reassembly; null decodes only unfragmented datagrams */
  defrag: FragmentSink | null = null;

  constructor() {
    for (let i = 0; i < MAX_NET_LAYERS; i++) this.layers.push(new NetLayer());
  }

  reset(buf: Uint8Array, off: number, caplen: number, len: number, linkType: number): void {
    this.status = STATUS_OK;
    this.linkType = linkType;
    this.buf = buf;
    this.off = off;
    this.end = off + caplen;
    this.frameLen = len;
    for (let i = 0; i < this.protoCount; i++) this.protoSeen[this.protoList[i]!] = 0;
    this.protoCount = 0;
    this.macBuf = EMPTY_BYTES;
    this.srcMacOff = -1;
    this.dstMacOff = -1;
    this.etherType = -1;
    this.vlanCount = 0;
    this.mplsCount = 0;
    this.mplsLabel = -1;
    this.pppoeSession = -1;
    this.pppProto = -1;
    this.arpOp = -1;
    this.arpShaOff = -1;
    this.arpThaOff = -1;
    this.arpSpa = 0;
    this.arpTpa = 0;
    this.wlanType = -1;
    this.wlanSubtype = -1;
    this.wlanProtected = false;
    this.layerCount = 0;
    this.depth = 0;
    this.tunnelDepth = 0;
  }

  /** Marks a protocol as present in this frame. */
  mark(proto: number): void {
    if (this.protoSeen[proto] === 0) {
      this.protoSeen[proto] = 1;
      this.protoList[this.protoCount++] = proto;
    }
  }

  has(proto: number): boolean {
    return this.protoSeen[proto] === 1;
  }

  /** Records a worse status (malformed beats truncated beats ok). */
  fail(status: number): void {
    if (status > this.status) this.status = status;
  }

  /** Starts a new IP layer, or returns null when the fixed array is full. */
  pushLayer(): NetLayer | null {
    if (this.layerCount >= MAX_NET_LAYERS) return null;
    const l = this.layers[this.layerCount]!;
    l.reset();
    l.tunnelDepth = this.layerCount;
    l.macBuf = this.macBuf;
    l.srcMacOff = this.srcMacOff;
    l.dstMacOff = this.dstMacOff;
    l.vlan = this.vlanCount > 0 ? this.vlanIds[this.vlanCount - 1]! : -1;
    this.layerCount++;
    return l;
  }

  /** innermost IP layer, or null */
  top(): NetLayer | null {
    return this.layerCount > 0 ? this.layers[this.layerCount - 1]! : null;
  }
}

/** A decoder reads a header at b[off, end) into the packet and dispatches to the next layer. */
export type LayerDecoder = (p: Packet, b: Uint8Array, off: number, end: number) => void;

/** Heuristic test of an application protocol on a transport payload. Must not allocate. */
export type Heuristic = (b: Uint8Array, off: number, len: number) => boolean;

/** How a protocol attaches to a lower layer. */
export type Binding =
  | { table: 'link'; value: number; decode: LayerDecoder }
  | { table: 'ethertype'; value: number; decode: LayerDecoder }
  | { table: 'ip.proto'; value: number; decode: LayerDecoder }
  | { table: 'ppp'; value: number; decode: LayerDecoder }
  /** a decoding layer on a port (tunnels such as VXLAN): the payload is decoded further */
  | { table: 'udp.port' | 'tcp.port'; value: number; decode: LayerDecoder }
  /** an application protocol on a port: flows using the port get `app` = descriptor id */
  | { table: 'udp.port' | 'tcp.port'; value: number; decode?: undefined }
  | { table: 'heuristic'; transport: 'tcp' | 'udp'; test: Heuristic };

/** One protocol folder's descriptor (src/dissect/protocols/<id>/index.ts). */
export interface ProtocolDescriptor {
  /** stable id, also the prefix of its field ids and the `app` value */
  id: string;
  name: string;
  fields: FieldDef[];
  bindings: Binding[];
}
