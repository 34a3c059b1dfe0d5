/** HTTP/1.x descriptor: fields, port bindings and the content heuristic. */
import type { ProtocolDescriptor } from '../../dissector.js';
import type { FieldDef } from '../../../shared/fields.js';
import { looksLikeHttp } from './head.js';

export const HTTP_FIELDS: FieldDef[] = [
  { id: 'http.method', type: 'string', doc: 'request method (GET, POST, ...)' },
  { id: 'http.host', type: 'string', doc: 'Host header of the request' },
  { id: 'http.uri', type: 'string', doc: 'request target as sent' },
  { id: 'http.version', type: 'string', doc: 'HTTP version of the request (HTTP/1.1)' },
  { id: 'http.user_agent', type: 'string', doc: 'User-Agent header' },
  { id: 'http.referer', type: 'string', doc: 'Referer header' },
  { id: 'http.status', type: 'int', doc: 'response status code' },
  { id: 'http.reason', type: 'string', doc: 'response reason phrase' },
  { id: 'http.content_type', type: 'string', doc: 'Content-Type of the response' },
  { id: 'http.request_content_type', type: 'string', doc: 'Content-Type of the request body' },
  { id: 'http.response_body_len', type: 'int', doc: 'decoded response body size in bytes' },
  { id: 'http.request_body_len', type: 'int', doc: 'decoded request body size in bytes' },
  { id: 'http.server', type: 'string', doc: 'Server header of the response' },
  { id: 'http.has_cookie', type: 'bool', doc: 'the request carried a Cookie header' },
  { id: 'http.has_set_cookie', type: 'bool', doc: 'the response carried Set-Cookie' },
  { id: 'http.auth_user', type: 'string', doc: 'user name from Authorization: Basic' },
];

const PORTS = [80, 8000, 8008, 8080, 8081, 8088, 3128, 5985];

export const http: ProtocolDescriptor = {
  id: 'http',
  name: 'Hypertext Transfer Protocol',
  fields: HTTP_FIELDS,
  bindings: [
    ...PORTS.map((value) => ({ table: 'tcp.port' as const, value })),
    { table: 'heuristic', transport: 'tcp', test: (b, off, len) => looksLikeHttp(b, off, off + len) },
  ],
};

export { looksLikeHttp };
