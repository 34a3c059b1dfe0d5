/** SIP messages as sip rows: the sender of a request is the client; a response goes to it. */
import type { SipRow } from '../../../shared/app-rows.js';
import type { SipMessage } from '../../../dissect/protocols/sip/decode.js';
import { SipStream } from '../../../dissect/protocols/sip/stream.js';
import { rowBase, type Endpoints } from './base.js';
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
  return {
    ...rowBase(flowId, ep, m.isRequest ? dir : dir === 0 ? 1 : 0, packet, sec, nsec),
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
