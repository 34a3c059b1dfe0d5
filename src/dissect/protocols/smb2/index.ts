/** SMB2/3 descriptor: TCP 445 (direct hosting) and 139 (NetBIOS session service), plus a header heuristic. */
import type { ProtocolDescriptor } from '../../dissector.js';

/** A session message (type 0, 24-bit length) carrying "\xFESMB" or an SMB1 "\xFFSMB" negotiate. */
export function looksLikeSmb(b: Uint8Array, off: number, len: number): boolean {
  return (
    len >= 8 &&
    b[off] === 0 &&
    (b[off + 4] === 0xfe || b[off + 4] === 0xff) &&
    b[off + 5] === 0x53 &&
    b[off + 6] === 0x4d &&
    b[off + 7] === 0x42
  );
}

export const smb2: ProtocolDescriptor = {
  id: 'smb2',
  name: 'Server Message Block 2/3',
  fields: [
    {
      id: 'smb2.command',
      type: 'string',
      doc: 'SMB2 command (NEGOTIATE, SESSION_SETUP, TREE_CONNECT, CREATE, CLOSE, ...)',
    },
    { id: 'smb2.tree', type: 'string', doc: 'share path of the tree (\\\\server\\share)' },
    { id: 'smb2.file_name', type: 'string', doc: 'file name opened by CREATE, relative to the share' },
    { id: 'smb2.dialect', type: 'string', doc: 'dialect the server chose (2.0.2, 2.1, 3.0, 3.0.2, 3.1.1)' },
    { id: 'smb2.username', type: 'string', doc: 'user name of the NTLMSSP authentication of the session' },
    { id: 'smb2.status', type: 'string', doc: 'NT status of the response (0x00000000 is success)' },
  ],
  bindings: [
    { table: 'tcp.port', value: 445 },
    { table: 'tcp.port', value: 139 },
    { table: 'heuristic', transport: 'tcp', test: looksLikeSmb },
  ],
};
