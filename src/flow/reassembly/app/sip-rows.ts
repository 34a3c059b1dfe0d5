/** SIP messages as sip rows: the sender of a request is the client; a response goes to it. */
import type { SipRow } from '../../../shared/app-rows.js';
import type { SipMessage } from '../../../dissect/protocols/sip/decode.js';
import { SipStream } from '../../../dissect/protocols/sip/stream.js';
import { type Endpoints } from './base.js';
import { isoTime } from '../../../shared/time.js';
import type { LineSession } from './line-protocols.js';
import type { AppSinks } from './sinks.js';

export function sipRow(
  m: SipMessage,
  transport: 'udp' | 'tcp',
  flowId: number,
  ep: Endpoints,
  dir: 0 | 1,
  packet: number,
  sec: number,
  nsec: number,
): SipRow {
  const c = (m.isRequest ? dir : dir === 0 ? 1 : 0) === 1 ? 1 : 0;
  const s = c === 1 ? 0 : 1;
  // one literal with every column in rowBase's order: no base row spread into it per message
  return {
    flow_id: flowId,
    ts: isoTime(sec, nsec),
    packet,
    client_ip: ep.ip[c],
    client_port: ep.port[c],
    server_ip: ep.ip[s],
    server_port: ep.port[s],
    transport,
    method: m.method,
    status: m.status,
    reason: m.reason,
    uri: m.uri,
    from_addr: m.from,
    to_addr: m.to,
    call_id: m.callId,
    cseq: m.cseq,
    user_agent: m.userAgent,
  };
}

/** SIP over TCP as a stream parser of the app layer. */
export function sipStream(flowId: number, ep: Endpoints, sinks: AppSinks): LineSession {
  const s = new SipStream((m, dir, packet, sec, nsec) =>
    sinks.sip?.(sipRow(m, 'tcp', flowId, ep, dir, packet, sec, nsec)),
  );
  return {
    data: (dir, b, packet, sec, nsec) => s.data(dir, b, packet, sec, nsec),
    gap: (dir) => s.gap(dir),
    end: () => {},
    close: () => {},
    finished: false,
  };
}
