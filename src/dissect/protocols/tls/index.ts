/** TLS descriptor: fields, port bindings and the record-header heuristic. */
import type { ProtocolDescriptor } from '../../dissector.js';
import type { FieldDef } from '../../../shared/fields.js';
import { looksLikeTls } from './heuristic.js';

export const TLS_FIELDS: FieldDef[] = [
  { id: 'tls.server_name', type: 'string', doc: 'SNI host name from the ClientHello' },
  { id: 'tls.alpn', type: 'string[]', doc: 'ALPN protocols offered by the client' },
  {
    id: 'tls.client_version',
    type: 'string',
    doc: 'highest version the client offers (TLS 1.3, TLS 1.2, ...)',
  },
  { id: 'tls.version', type: 'string', doc: 'version the server chose' },
  { id: 'tls.cipher', type: 'string', doc: 'cipher suite the server chose, as 0x1301' },
  { id: 'tls.ja3', type: 'string', doc: 'JA3 client fingerprint (MD5 hex)' },
  { id: 'tls.ja3s', type: 'string', doc: 'JA3S server fingerprint (MD5 hex)' },
  { id: 'tls.ja4', type: 'string', doc: 'JA4 client fingerprint' },
  { id: 'tls.cert_subject', type: 'string', doc: 'leaf certificate subject (TLS <= 1.2)' },
  { id: 'tls.cert_issuer', type: 'string', doc: 'leaf certificate issuer' },
  { id: 'tls.cert_serial', type: 'string', doc: 'leaf certificate serial number (hex)' },
  { id: 'tls.cert_not_before', type: 'time', doc: 'start of the leaf certificate validity' },
  { id: 'tls.cert_not_after', type: 'time', doc: 'end of the leaf certificate validity' },
  { id: 'tls.cert_san', type: 'string[]', doc: 'DNS names in the leaf certificate SAN' },
  { id: 'tls.cert_self_signed', type: 'bool', doc: 'issuer equals subject' },
  { id: 'tls.cert_sha256', type: 'string', doc: 'SHA-256 of the leaf certificate DER' },
];

const PORTS = [443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 8443, 8883];

export const tls: ProtocolDescriptor = {
  id: 'tls',
  name: 'Transport Layer Security',
  fields: TLS_FIELDS,
  bindings: [
    ...PORTS.map((value) => ({ table: 'tcp.port' as const, value })),
    { table: 'heuristic', transport: 'tcp', test: (b, off, len) => looksLikeTls(b, off, off + len) },
  ],
};

export { looksLikeTls };
