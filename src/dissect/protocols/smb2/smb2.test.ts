import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeSmb } from './index.js';
import { createName, sessionSetupIdentity, treeConnectPath, utf16le } from './decode.js';
import { Smb2Session, type Smb2Event } from './session.js';
import { Transfer } from './transfer.js';
import { createHash } from 'node:crypto';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+|#[^\n]*/g, ''), 'hex'));
const u16 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff]).toString('hex');
const u32 = (n: number) =>
  Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]).toString('hex');
const utf16 = (s: string) => Buffer.from(s, 'utf16le').toString('hex');

/** A 64-byte SMB2 header (MS-SMB2 2.2.1.2, sync form), annotated field by field. */
function header(
  cmd: number,
  msgId: number,
  o: { resp?: boolean; status?: number; tree?: number; next?: number; related?: boolean } = {},
): string {
  return [
    'fe534d42', // ProtocolId "\xFESMB"
    u16(64), // StructureSize
    '0000', // CreditCharge
    u32(o.status ?? 0), // Status (responses)
    u16(cmd), // Command
    '0100', // CreditRequest/Response
    u32((o.resp ? 1 : 0) | (o.related ? 4 : 0)), // Flags: SERVER_TO_REDIR, RELATED_OPERATIONS
    u32(o.next ?? 0), // NextCommand
    u32(msgId) + '00000000', // MessageId
    '00000000', // Reserved (ProcessId)
    u32(o.tree ?? 0), // TreeId
    '1100000000000000', // SessionId 0x11
    '00'.repeat(16), // Signature
  ].join('');
}

/** NBSS session message: type 0, 24-bit length. */
function nbss(body: string): Uint8Array {
  const n = body.length / 2;
  return hex('00' + n.toString(16).padStart(6, '0') + body);
}

const TREE_PATH = '\\\\srv\\share';
// TREE_CONNECT request body (2.2.9): StructureSize 9, Flags, PathOffset 72, PathLength, path
const treeReq = header(3, 2) + u16(9) + '0000' + u16(72) + u16(TREE_PATH.length * 2) + utf16(TREE_PATH);
// TREE_CONNECT response (2.2.10): tree id 7 in the header; StructureSize 16, ShareType, flags, caps, access
const treeResp =
  header(3, 2, { resp: true, tree: 7 }) + u16(16) + '0100' + '00000000' + '00000000' + 'ff011f00';

/** CREATE request body (2.2.13): name at offset 120 (header 64 + 56). */
function createReq(id: number, name: string, extra: { next?: number; related?: boolean } = {}): string {
  const body =
    u16(57) + // StructureSize
    '00' + // SecurityFlags
    '00' + // RequestedOplockLevel
    u32(2) + // ImpersonationLevel
    '00'.repeat(8) + // SmbCreateFlags
    '00'.repeat(8) + // Reserved
    u32(0x80000000) + // DesiredAccess
    u32(0) + // FileAttributes
    u32(7) + // ShareAccess
    u32(1) + // CreateDisposition
    u32(0) + // CreateOptions
    u16(120) + // NameOffset
    u16(name.length * 2) + // NameLength
    u32(0) + // CreateContextsOffset
    u32(0); // CreateContextsLength
  return header(5, id, { tree: 7, ...extra }) + body + utf16(name);
}
const FID = 'aa'.repeat(8) + 'bb'.repeat(8);
/** CREATE response (2.2.14): FileId at body offset 64. */
function createResp(id: number, status = 0): string {
  return header(5, id, { resp: true, tree: 7, status }) + u16(89) + '00'.repeat(62) + FID + '00'.repeat(24);
}
/** WRITE request (2.2.21): Length at +4, FileId at +16; data (not sent here: the framer skips it). */
function writeReq(id: number, len: number, fid = FID): string {
  return header(9, id, { tree: 7 }) + u16(49) + u16(112) + u32(len) + '00'.repeat(8) + fid + '00'.repeat(16);
}
const writeResp = (id: number, n: number) =>
  header(9, id, { resp: true, tree: 7 }) + u16(17) + '0000' + u32(n) + '00'.repeat(8);
/** CLOSE request (2.2.15): FileId at +8. */
const closeReq = (id: number) => header(6, id, { tree: 7 }) + u16(24) + '0000' + '00000000' + FID;
const closeResp = (id: number) => header(6, id, { resp: true, tree: 7 }) + u16(60) + '00'.repeat(58);

function run(chunks: Uint8Array[][]): Smb2Event[] {
  const out: Smb2Event[] = [];
  const s = new Smb2Session((e) => out.push(e), 0);
  for (const [i, dirChunks] of chunks.entries())
    for (const c of dirChunks) s.data((i % 2) as 0 | 1, c, i + 1, 0, 0);
  s.close();
  return out;
}

test('SMB2: tree connect, create, writes summed onto the close, framing split at every byte', () => {
  const c2s = [
    nbss(treeReq),
    nbss(createReq(3, 'dir\\report.pdf')),
    nbss(writeReq(4, 65536)),
    nbss(writeReq(5, 1611)),
    nbss(closeReq(6)),
  ];
  const s2c = [
    nbss(treeResp),
    nbss(createResp(3)),
    nbss(writeResp(4, 65536)),
    nbss(writeResp(5, 1611)),
    nbss(closeResp(6)),
  ];
  // request and response alternate; each message is also fed one byte at a time
  const bytes = (m: Uint8Array) => Array.from(m, (_, k) => m.subarray(k, k + 1));
  const seq: Uint8Array[][] = [];
  for (let k = 0; k < c2s.length; k++) seq.push(bytes(c2s[k]!), bytes(s2c[k]!));
  const ev = run(seq);
  assert.deepEqual(
    ev.map((e) => [e.command, e.status, e.tree, e.fileName, e.bytesWritten]),
    [
      ['TREE_CONNECT', '0x00000000', TREE_PATH, null, null],
      ['CREATE', '0x00000000', TREE_PATH, 'dir\\report.pdf', null],
      ['CLOSE', '0x00000000', TREE_PATH, 'dir\\report.pdf', 65536 + 1611],
    ],
  );
});

test('SMB2: a compounded CREATE + CLOSE chain (NextCommand, related FileId of all ones)', () => {
  // the CREATE padded to 8 bytes; NextCommand gives its padded length (the length does not depend on it)
  const pad = (s: string) => s + '00'.repeat((8 - ((s.length / 2) % 8)) % 8);
  const firstLen = pad(createReq(10, 'a.txt')).length / 2;
  const c1 = pad(createReq(10, 'a.txt', { next: firstLen }));
  // CLOSE of the file the CREATE opened: FileId all ones, RELATED_OPERATIONS set
  const chain =
    c1 + header(6, 11, { tree: 7, related: true }) + u16(24) + '0000' + '00000000' + 'ff'.repeat(16);
  const ev = run([
    [nbss(treeReq)],
    [nbss(treeResp)],
    [nbss(chain)],
    [nbss(createResp(10)), nbss(closeResp(11))],
  ]);
  assert.deepEqual(
    ev.map((e) => [e.command, e.fileName, e.tree]),
    [
      ['TREE_CONNECT', null, TREE_PATH],
      ['CREATE', 'a.txt', TREE_PATH],
      ['CLOSE', 'a.txt', TREE_PATH],
    ],
  );
});

test('SMB2: hostile lengths and garbage are bounded; SMB1 is skipped; the heuristic', () => {
  // name offset and length pointing past the message
  const bad =
    header(5, 1, { tree: 7 }) + u16(57) + '00'.repeat(42) + u16(0xfff0) + u16(0x2000) + '00'.repeat(8);
  const b = hex(bad);
  assert.equal(createName(b, 0, b.length), null);
  assert.equal(treeConnectPath(b, 0, 70), null);
  assert.equal(utf16le(b, 60, 10, 64, b.length), null, 'text before the body is refused');
  // SESSION_SETUP with a security buffer that claims 64 KiB
  const ss = hex(
    header(1, 1) + u16(25) + '00' + '00' + '00000000' + '00000000' + u16(88) + u16(0xffff) + '00'.repeat(8),
  );
  assert.equal(sessionSetupIdentity(ss, 0, ss.length), null);
  // an NBSS length of 16 MiB - 1 followed by garbage: nothing emitted, no throw
  const ev = run([[hex('00ffffff' + 'fe534d42' + '00'.repeat(100))], [hex('deadbeef')]]);
  assert.deepEqual(ev, []);
  // SMB1 NEGOTIATE (\xFFSMB) then an SMB2 NEGOTIATE response choosing 2.0.2
  const smb1 = nbss('ff534d42' + '72' + '00'.repeat(40));
  const neg = nbss(header(0, 0, { resp: true }) + u16(65) + '0100' + u16(0x0202) + '00'.repeat(58));
  const ev2 = run([[smb1], [neg]]);
  assert.deepEqual(
    ev2.map((e) => [e.command, e.dialect]),
    [['NEGOTIATE', '2.0.2']],
  );
  assert.equal(looksLikeSmb(smb1, 0, smb1.length), true);
  assert.equal(looksLikeSmb(hex('474554202f20485454502f312e310d0a'), 0, 16), false);
});

test('SMB2: NTLMSSP AUTHENTICATE gives user, domain and host, nothing else', () => {
  // NTLMSSP type 3 (MS-NLMP 2.2.1.3): fields (len, maxlen, offset) relative to the signature
  const dom = utf16('CONTOSO');
  const usr = utf16('alice');
  const hst = utf16('PC1');
  const base = 72; // payload after the fixed part + version
  const f = (len: number, off: number) => u16(len) + u16(len) + u32(off);
  const ntlm =
    '4e544c4d53535000' + // "NTLMSSP\0"
    u32(3) + // MessageType AUTHENTICATE
    f(0, base) + // LmChallengeResponse (empty)
    f(0, base) + // NtChallengeResponse (empty here; never read)
    f(dom.length / 2, base) + // DomainName
    f(usr.length / 2, base + dom.length / 2) + // UserName
    f(hst.length / 2, base + (dom.length + usr.length) / 2) + // Workstation
    f(0, base) + // EncryptedRandomSessionKey
    u32(0xe2888215) + // NegotiateFlags (UNICODE set)
    '00'.repeat(8) + // Version
    dom +
    usr +
    hst;
  // SESSION_SETUP request (2.2.5): buffer right after the 24-byte body
  const req =
    header(1, 1) +
    u16(25) +
    '00' +
    '01' +
    '00000000' +
    '00000000' +
    u16(88) +
    u16(ntlm.length / 2) +
    '00'.repeat(8) +
    ntlm;
  const b = hex(req);
  assert.deepEqual(sessionSetupIdentity(b, 0, b.length), { user: 'alice', domain: 'CONTOSO', host: 'PC1' });
  const ev = run([[nbss(req)], [nbss(header(1, 1, { resp: true }) + u16(9) + '0000' + '0000' + '0000')]]);
  assert.deepEqual(
    ev.map((e) => [e.command, e.user, e.domain, e.host]),
    [['SESSION_SETUP', 'alice', 'CONTOSO', 'PC1']],
  );
  // cut one byte short of the host name: refused, not read past the end
  assert.equal(sessionSetupIdentity(b, 0, b.length - 1), null);
});

test('SMB2: 3000 mutated streams (random bytes flipped, random chunking) never throw', () => {
  let seed = 0x2545f491;
  const rnd = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const base = [
    nbss(treeReq),
    nbss(treeResp),
    nbss(createReq(3, 'a\\b.txt')),
    nbss(createResp(3)),
    nbss(writeReq(4, 100)),
    nbss(writeResp(4, 100)),
    nbss(closeReq(6)),
    nbss(closeResp(6)),
  ];
  let events = 0;
  for (let round = 0; round < 3000; round++) {
    const s = new Smb2Session(() => events++, -1);
    for (const [k, m] of base.entries()) {
      const b = m.slice();
      for (let f = rnd(6); f > 0; f--) b[rnd(b.length)] = rnd(256);
      for (let i = 0; i < b.length;) {
        const step = 1 + rnd(64);
        s.data((k % 2) as 0 | 1, b.subarray(i, i + step), k, 0, 0);
        i += step;
      }
      if (rnd(20) === 0) s.gap((k % 2) as 0 | 1);
    }
    s.close();
  }
  // most mutations leave most commands intact, so rows still come out; at most one per response (4) plus
  // one end-of-connection CLOSE per stream
  assert.ok(events > 3000 && events <= 5 * 3000, String(events));
});

test('SMB2 transfer: hashed while in file order, counted but not hashed after a seek, content capped', () => {
  const data = new Uint8Array(1000).map((_, k) => k & 0xff);
  const t = new Transfer({ bytes: 600, budget: { left: 10_000 } });
  t.data(data, 0, 500, 0);
  t.data(data, 500, 1000, 500);
  const r = t.finish();
  assert.equal(r.sha256, createHash('sha256').update(data).digest('hex'));
  assert.equal(r.content!.length, 600, 'kept up to the cap');
  const budget = { left: 100 };
  const u = new Transfer({ bytes: 600, budget });
  u.data(data, 0, 500, 0);
  u.data(data, 0, 500, 0); // read again from offset 0: out of order
  assert.equal(u.size, 1000);
  const q = u.finish();
  assert.equal(q.sha256, null);
  assert.equal(q.complete, false);
  assert.equal(budget.left, 100, 'the budget is given back');
});

test('SMB2: buffers hold what a message needs: small for NEGOTIATE, a head for WRITE, let go after a large one', () => {
  const s = new Smb2Session(() => {}, 0);
  // a scanner's NEGOTIATE (header + 36-byte body + 2 dialects)
  s.data(0, nbss(header(0, 0) + u16(36) + u16(2) + '00'.repeat(32) + '0202' + '1002'), 1, 0, 0);
  assert.ok(s.held <= 512, `negotiate: ${s.held}`);
  // a 64 KiB WRITE, its data included: only the head is copied
  const w = writeReq(4, 65536);
  s.data(0, nbss(w + '00'.repeat(65536 - (w.length / 2 - 112))), 2, 0, 0);
  assert.ok(s.held <= 512, `write: ${s.held}`);
  // a CREATE with a 5000-character name fills 10 KiB while it is parsed, then the buffer is let go
  s.data(0, nbss(createReq(5, 'n'.repeat(5000))), 3, 0, 0);
  assert.ok(s.held <= 4096, `after a large message: ${s.held}`);
});
