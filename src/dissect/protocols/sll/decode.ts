import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_OTHER, P_SLL } from '../../proto-ids.js';
import { dispatchEtherType } from '../../tables.js';
import { has, u16be } from '../../../wire/byte-view.js';
import { decodeLlc } from '../llc/decode.js';

const ARPHRD_NETLINK = 824;

/**
 * The protocol field of Linux cooked captures: an EtherType, except 0x0004 (802.2 LLC follows) and small
 * values for other non-Ethernet framings; on netlink interfaces it is a netlink family, never IP.
 */
export function dispatchSllProtocol(
  p: Packet,
  arphrd: number,
  proto: number,
  b: Uint8Array,
  off: number,
  end: number,
): void {
  if (arphrd === ARPHRD_NETLINK) p.mark(P_OTHER);
  else if (proto === 0x0004) decodeLlc(p, b, off, end);
  else if (proto < 0x0600) p.mark(P_OTHER);
  else dispatchEtherType(p, proto, b, off, end);
}

/** LINKTYPE_LINUX_SLL (113): pkttype(2) arphrd(2) addr_len(2) addr(8) protocol(2). */
export function decodeSll(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_SLL);
  if (!has(off, 16, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const arphrd = u16be(b, off + 2);
  // only a link-layer source address is recorded; an Ethernet one is a MAC
  if (u16be(b, off + 4) === 6) {
    p.macBuf = b;
    p.srcMacOff = off + 6;
    p.dstMacOff = -1;
  }
  dispatchSllProtocol(p, arphrd, u16be(b, off + 14), b, off + 16, end);
}
