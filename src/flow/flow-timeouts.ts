/**
 * When a conversation is over: the one place that decides how long a flow stays live without packets
 * (capture time). tshark never ends a conversation, so every timeout here can split what tshark keeps as one;
 * they are chosen well past the longest silence seen inside one conversation in the corpus (measured per
 * state over all ../shared/corpus captures: TCP after both FINs or a RST 4.8 s, TCP otherwise 235 s, UDP
 * 369 s, ICMP/ICMPv6 34 s, link-layer 320 s) and close to what Suricata and Zeek use. Short timeouts are what
 * bound memory by live flows: on a long capture every finished conversation leaves the table.
 */

/** Timeout classes; a flow is in exactly one, kept in FlowState.cls. */
export const CLS_TCP_OPEN = 0;
export const CLS_TCP_CLOSED = 1;
export const CLS_OTHER = 2;
export const CLS_COUNT = 3;

export interface FlowTimeouts {
  /** TCP before it is over (handshake, established, half-closed, midstream): idle seconds */
  tcpOpenSec: number;
  /**
   * TCP after a FIN in both directions or a RST: the linger that lets the last ACK and late retransmissions
   * join the same conversation (Wireshark would put them in the same tcp.stream); as Linux's TIME_WAIT
   * (2 x MSL = 60 s)
   */
  tcpClosedSec: number;
  /** UDP, ICMP, other IP protocols and link-layer conversations: idle seconds */
  otherSec: number;
}

export const DEFAULT_TIMEOUTS: Readonly<FlowTimeouts> = {
  tcpOpenSec: 600,
  tcpClosedSec: 60,
  otherSec: 600,
};

/**
 * Timeouts per class (index = CLS_*): the defaults, overridden by `timeouts`, each capped by `idleSec`
 * when given (the older single idle timeout option).
 */
export function timeoutTable(timeouts?: Partial<FlowTimeouts>, idleSec?: number): Float64Array {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const cap = idleSec ?? Infinity;
  const out = new Float64Array(CLS_COUNT);
  out[CLS_TCP_OPEN] = Math.min(t.tcpOpenSec, cap);
  out[CLS_TCP_CLOSED] = Math.min(t.tcpClosedSec, cap);
  out[CLS_OTHER] = Math.min(t.otherSec, cap);
  return out;
}
