/** SSH descriptor: port 22 and the identification-string heuristic. */
import type { ProtocolDescriptor } from '../../dissector.js';

/** "SSH-" at the start of a TCP payload (RFC 4253 section 4.2). */
export function looksLikeSsh(b: Uint8Array, off: number, len: number): boolean {
  return len >= 8 && b[off] === 0x53 && b[off + 1] === 0x53 && b[off + 2] === 0x48 && b[off + 3] === 0x2d;
}

export const ssh: ProtocolDescriptor = {
  id: 'ssh',
  name: 'Secure Shell',
  fields: [
    { id: 'ssh.client_banner', type: 'string', doc: "client's identification string" },
    { id: 'ssh.server_banner', type: 'string', doc: "server's identification string" },
    { id: 'ssh.hassh', type: 'string', doc: 'HASSH client fingerprint (MD5 of the client KEXINIT lists)' },
    { id: 'ssh.hassh_server', type: 'string', doc: 'HASSHServer fingerprint' },
  ],
  bindings: [
    { table: 'tcp.port', value: 22 },
    { table: 'heuristic', transport: 'tcp', test: looksLikeSsh },
  ],
};
