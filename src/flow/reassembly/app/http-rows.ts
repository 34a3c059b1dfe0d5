/** HTTP transaction -> http row, plus the credentials and files it carries. */
import type { CredentialRow, FileRow, HttpRow } from '../../../shared/app-rows.js';
import type { HttpTransaction } from '../../../dissect/protocols/http/session.js';
import { header } from '../../../dissect/protocols/http/head.js';
import { basicAuth, fileName } from '../../../dissect/protocols/http/extract.js';
import type { BodyInfo } from '../../../dissect/protocols/http/body.js';
import { rowBase, type Endpoints } from './base.js';
import type { AppSinks } from './sinks.js';

/** keepBudget: where bytes kept for file extraction go back once handed on (see BodyLimits.keepBudget) */
export function emitHttp(
  tx: HttpTransaction,
  flowId: number,
  ep: Endpoints,
  sinks: AppSinks,
  keepBudget?: { left: number },
): void {
  const base = rowBase(flowId, ep, tx.clientDir, tx.packet, tx.tsSec, tx.tsNsec);
  const q = tx.request;
  const r = tx.response;
  const creds = q ? basicAuth(q) : null;
  // every column written out (base first, as a spread would): V8 copies a spread property by property
  const row: HttpRow = {
    flow_id: base.flow_id,
    ts: base.ts,
    packet: base.packet,
    client_ip: base.client_ip,
    client_port: base.client_port,
    server_ip: base.server_ip,
    server_port: base.server_port,
    method: q?.method ?? null,
    host: q ? header(q, 'host') : null,
    uri: q?.uri ?? null,
    version: q?.version ?? r?.version ?? null,
    user_agent: q ? header(q, 'user-agent') : null,
    referer: q ? header(q, 'referer') : null,
    status: r?.status ?? null,
    reason: r?.reason ?? null,
    request_content_type: q ? header(q, 'content-type') : null,
    response_content_type: r ? header(r, 'content-type') : null,
    request_body_len: tx.requestBody?.len ?? null,
    response_body_len: tx.responseBody?.len ?? null,
    server: r ? header(r, 'server') : null,
    has_cookie: q ? header(q, 'cookie') !== null : false,
    has_set_cookie: r ? header(r, 'set-cookie') !== null : false,
    auth_user: creds?.user ?? null,
  };
  sinks.http?.(row);
  if (creds && sinks.credential) {
    const c: CredentialRow = {
      flow_id: base.flow_id,
      ts: base.ts,
      packet: base.packet,
      client_ip: base.client_ip,
      client_port: base.client_port,
      server_ip: base.server_ip,
      server_port: base.server_port,
      proto: 'http',
      method: 'basic',
      username: creds.user,
      password: creds.password,
      detail: `${row.host ?? ''}${row.uri ?? ''}`,
    };
    sinks.credential(c);
  }
  if (sinks.file) {
    const rb = tx.responseBody;
    const qb = tx.requestBody;
    if (rb && rb.len > 0)
      sinks.file(fileRow(base, tx, rb, true, r ? header(r, 'content-type') : null), rb.head);
    if (qb && qb.len > 0)
      sinks.file(fileRow(base, tx, qb, false, q ? header(q, 'content-type') : null), qb.head);
  }
  if (keepBudget) keepBudget.left += (tx.responseBody?.borrowed ?? 0) + (tx.requestBody?.borrowed ?? 0);
}

function fileRow(
  base: ReturnType<typeof rowBase>,
  tx: HttpTransaction,
  body: BodyInfo,
  download: boolean,
  contentType: string | null,
): FileRow {
  return {
    flow_id: base.flow_id,
    ts: base.ts,
    packet: base.packet,
    client_ip: base.client_ip,
    client_port: base.client_port,
    server_ip: base.server_ip,
    server_port: base.server_port,
    proto: 'http',
    name: fileName(tx.request, tx.response, download),
    content_type: contentType,
    size: body.len,
    declared_size: body.declaredLen,
    sha256: body.sha256,
    complete: body.complete && !body.bomb,
    direction: download ? 'download' : 'upload',
  };
}
