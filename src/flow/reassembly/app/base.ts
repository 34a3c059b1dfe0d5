/** The columns every application row shares (flow, time, client/server endpoints), from a flow's state. */
import type { AppRowBase } from '../../../shared/app-rows.js';
import { isoTime } from '../../../shared/time.js';
import type { FlowState } from '../../flow-state.js';
import { wordsToString } from '../../addr-words.js';

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
      const src = f.srcIsA ? f.a : f.b;
      const dst = f.srcIsA ? f.b : f.a;
      this.ipText = [wordsToString(src, f.ver), wordsToString(dst, f.ver)];
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
