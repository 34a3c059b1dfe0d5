/** The columns every application row shares (flow, time, client/server endpoints), from a flow's state. */
import type { AppRowBase } from '../../../shared/app-rows.js';
import { isoTime } from '../../../shared/time.js';
import type { FlowState } from '../../flow-state.js';
import { wordsToString } from '../../addr-words.js';

/** address words of one endpoint, filled by FlowState.addrInto (no array per flow) */
const words = new Uint32Array(4);

/** recent IP address texts by address: DNS, DHCP and NTP flows repeat a few servers and clients many times */
const CACHE_SIZE = 4096;
const cacheVer = new Uint8Array(CACHE_SIZE);
const cacheWords = new Uint32Array(CACHE_SIZE * 4);
const cacheText: string[] = new Array<string>(CACHE_SIZE).fill('');

/** wordsToString(words, ver) through the cache (IP addresses only; link-layer flows' MACs are made each time). */
function addrText(ver: number): string {
  const w = words;
  if (ver !== 4 && ver !== 6) return wordsToString(w, ver);
  const w0 = w[0]!;
  const w1 = w[1]!;
  const w2 = w[2]!;
  const w3 = w[3]!;
  let h = Math.imul(w3 ^ ver, 0x9e3779b1);
  h = Math.imul(h ^ w2, 0x85ebca6b) ^ Math.imul(w1 ^ (w0 >>> 7), 0xc2b2ae35) ^ w0;
  const slot = (h ^ (h >>> 15) ^ (h >>> 27)) & (CACHE_SIZE - 1);
  const k = slot * 4;
  if (
    cacheVer[slot] === ver &&
    cacheWords[k + 3] === w3 &&
    cacheWords[k + 2] === w2 &&
    cacheWords[k + 1] === w1 &&
    cacheWords[k] === w0
  )
    return cacheText[slot]!;
  const t = wordsToString(w, ver);
  cacheVer[slot] = ver;
  cacheWords[k] = w0;
  cacheWords[k + 1] = w1;
  cacheWords[k + 2] = w2;
  cacheWords[k + 3] = w3;
  cacheText[slot] = t;
  return t;
}

/** Endpoints of a flow, [forward sender, forward receiver]; the address text is made on first use only. */
export class Endpoints {
  readonly port: [number, number];
  private ipText: [string, string] | null = null;
  // the flow's addresses never change, and a flow object is not reused while an app hook may hold it
  constructor(private readonly flow: FlowState) {
    this.port = [flow.srcPort, flow.dstPort];
  }
  get ip(): [string, string] {
    if (this.ipText === null) {
      const f = this.flow;
      const ver = f.ver;
      f.addrInto(0, words);
      const src = addrText(ver);
      f.addrInto(1, words);
      this.ipText = [src, addrText(ver)];
    }
    return this.ipText;
  }
}

/** Base row columns; clientDir is the direction (0 forward, 1 reverse) the client sent from. */
export function rowBase(
  flowId: number,
  ep: Endpoints,
  clientDir: number,
  packet: number,
  tsSec: number,
  tsNsec: number,
): AppRowBase {
  const c = clientDir === 1 ? 1 : 0;
  const s = c === 1 ? 0 : 1;
  return {
    flow_id: flowId,
    ts: isoTime(tsSec, tsNsec),
    packet,
    client_ip: ep.ip[c],
    client_port: ep.port[c],
    server_ip: ep.ip[s],
    server_port: ep.port[s],
  };
}
