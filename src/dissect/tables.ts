/**
 * Dense dispatch tables and the dispatch functions decoders call for the next layer. Filled once by
 * registry.ts from the protocol descriptors; decoders import only this module (no import cycles).
 */
import type { Heuristic, LayerDecoder, Packet } from './dissector.js';
import { MAX_DEPTH, STATUS_MALFORMED } from './dissector.js';
import { P_OTHER } from './proto-ids.js';

/** LINKTYPE_* numbers above this are not decoded (none of the ones we know is). */
export const MAX_LINKTYPE = 1024;

export const linkDecoders: (LayerDecoder | undefined)[] = new Array<LayerDecoder | undefined>(
  MAX_LINKTYPE,
).fill(undefined);
export const etherTypeDecoders: (LayerDecoder | undefined)[] = new Array<LayerDecoder | undefined>(
  65536,
).fill(undefined);
export const ipProtoDecoders: (LayerDecoder | undefined)[] = new Array<LayerDecoder | undefined>(256).fill(
  undefined,
);
export const pppDecoders: (LayerDecoder | undefined)[] = new Array<LayerDecoder | undefined>(65536).fill(
  undefined,
);
export const udpPortDecoders: (LayerDecoder | undefined)[] = new Array<LayerDecoder | undefined>(65536).fill(
  undefined,
);
export const tcpPortDecoders: (LayerDecoder | undefined)[] = new Array<LayerDecoder | undefined>(65536).fill(
  undefined,
);

/** Application protocol index per port (0 = none); names in `appNames` (index 0 unused). */
export const tcpPortApp = new Uint16Array(65536);
export const udpPortApp = new Uint16Array(65536);
export const appNames: string[] = [''];
export const tcpHeuristics: { app: number; test: Heuristic }[] = [];
export const udpHeuristics: { app: number; test: Heuristic }[] = [];

/** Index of an application name, adding it on first use. */
export function appIndex(name: string): number {
  const i = appNames.indexOf(name);
  if (i >= 0) return i;
  appNames.push(name);
  return appNames.length - 1;
}

function enter(p: Packet): boolean {
  if (p.depth >= MAX_DEPTH) {
    p.fail(STATUS_MALFORMED);
    return false;
  }
  p.depth++;
  return true;
}

/** Decodes a frame of the given link type; unknown link types count as `other`. */
export function dispatchLink(p: Packet, linkType: number, b: Uint8Array, off: number, end: number): boolean {
  const d = linkType >= 0 && linkType < MAX_LINKTYPE ? linkDecoders[linkType] : undefined;
  if (d === undefined) {
    p.mark(P_OTHER);
    return false;
  }
  if (enter(p)) d(p, b, off, end);
  return true;
}

export function dispatchEtherType(p: Packet, type: number, b: Uint8Array, off: number, end: number): void {
  p.etherType = type;
  const d = etherTypeDecoders[type & 0xffff];
  if (d === undefined) {
    p.mark(P_OTHER);
    return;
  }
  if (enter(p)) d(p, b, off, end);
}

export function dispatchIpProto(p: Packet, proto: number, b: Uint8Array, off: number, end: number): boolean {
  const d = ipProtoDecoders[proto & 0xff];
  if (d === undefined) return false;
  if (enter(p)) d(p, b, off, end);
  return true;
}

export function dispatchPpp(p: Packet, proto: number, b: Uint8Array, off: number, end: number): void {
  p.pppProto = proto;
  const d = pppDecoders[proto & 0xffff];
  if (d === undefined) {
    p.mark(P_OTHER);
    return;
  }
  if (enter(p)) d(p, b, off, end);
}

/** Tunnel decoders on UDP ports (VXLAN...). Returns true when one took the payload. */
export function dispatchUdpPort(
  p: Packet,
  sport: number,
  dport: number,
  b: Uint8Array,
  off: number,
  end: number,
) {
  const d = udpPortDecoders[dport] ?? udpPortDecoders[sport];
  if (d === undefined) return false;
  if (enter(p)) d(p, b, off, end);
  return true;
}

export function dispatchTcpPort(
  p: Packet,
  sport: number,
  dport: number,
  b: Uint8Array,
  off: number,
  end: number,
) {
  const d = tcpPortDecoders[dport] ?? tcpPortDecoders[sport];
  if (d === undefined) return false;
  if (enter(p)) d(p, b, off, end);
  return true;
}
