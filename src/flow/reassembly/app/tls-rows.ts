/** TLS handshake (over TCP or inside QUIC Initials) -> tls row. */
import type { TlsRow } from '../../../shared/app-rows.js';
import type { ClientHello, ServerHello } from '../../../dissect/protocols/tls/hello.js';
import { clientMaxVersion, versionName } from '../../../dissect/protocols/tls/hello.js';
import { ja3, ja3s, ja4 } from '../../../dissect/protocols/tls/fingerprint.js';
import type { Certificate } from '../../../dissect/protocols/tls/x509.js';
import type { AppRowBase } from '../../../shared/app-rows.js';

export function tlsRow(
  base: AppRowBase,
  carrier: 'tls' | 'quic',
  ch: ClientHello | null,
  sh: ServerHello | null,
  cert: Certificate | null,
  certCount: number,
): TlsRow {
  const j3 = ch ? ja3(ch) : null;
  const j3s = sh ? ja3s(sh) : null;
  const chosen = sh ? sh.selectedVersion || sh.legacyVersion : 0;
  // every column written out (base first, as a spread would): V8 copies a spread property by property
  return {
    flow_id: base.flow_id,
    ts: base.ts,
    packet: base.packet,
    client_ip: base.client_ip,
    client_port: base.client_port,
    server_ip: base.server_ip,
    server_port: base.server_port,
    carrier,
    client_version: ch ? versionName(clientMaxVersion(ch)) : null,
    version: sh ? versionName(chosen) : null,
    server_name: ch?.serverName ?? null,
    alpn: ch?.alpn ?? [],
    cipher: sh ? `0x${sh.cipher.toString(16).padStart(4, '0')}` : null,
    ja3: j3?.ja3 ?? null,
    ja3_string: j3?.ja3String ?? null,
    ja3s: j3s?.ja3s ?? null,
    ja3s_string: j3s?.ja3sString ?? null,
    ja4: ch ? ja4(ch, carrier === 'quic' ? 'q' : 't').ja4 : null,
    cert_subject: cert?.subject ?? null,
    cert_issuer: cert?.issuer ?? null,
    cert_serial: cert?.serial ?? null,
    cert_not_before: cert?.notBefore ?? null,
    cert_not_after: cert?.notAfter ?? null,
    cert_san: cert?.sanDns ?? [],
    cert_self_signed: cert ? cert.selfSigned : null,
    cert_sha256: cert?.sha256 ?? null,
    cert_chain_len: certCount,
  };
}
