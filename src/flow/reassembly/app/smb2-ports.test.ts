/**
 * SMB2 found by content on an odd port (the descriptor's heuristic: an NBSS session message carrying
 * "\xFESMB"), and over NetBIOS on 139 where a session request/positive response precede the SMB messages.
 * Captures built in memory with test/hostile/capture-builder.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcapWriter, tcpConversation } from '../../../../test/hostile/capture-builder.js';
import { analyzeBytes } from '../../../../test/hostile/analyze-bytes.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const u16 = (n: number) => Buffer.from([n & 0xff, n >> 8]).toString('hex');
const u32 = (n: number) =>
  Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]).toString('hex');

/** 64-byte SMB2 header: "\xFESMB", StructureSize 64, status, command, flags (1 = response), MessageId, TreeId. */
function header(cmd: number, id: number, resp: boolean, tree: number): string {
  return `fe534d42${u16(64)}0000${u32(0)}${u16(cmd)}0100${u32(resp ? 1 : 0)}${u32(0)}${u32(id)}00000000${u32(0)}${u32(tree)}${'00'.repeat(8)}${'00'.repeat(16)}`;
}
const PATH = '\\\\fs\\docs';
const pathHex = Buffer.from(PATH, 'utf16le').toString('hex');
// TREE_CONNECT request: StructureSize 9, flags, PathOffset 72, PathLength, the path (UTF-16LE)
const treeReq = header(3, 1, false, 0) + u16(9) + '0000' + u16(72) + u16(pathHex.length / 2) + pathHex;
const treeResp = header(3, 1, true, 5) + u16(16) + '0100' + '00000000' + '00000000' + 'ff011f00';
const nbss = (type: number, body: string) =>
  hex(type.toString(16).padStart(2, '0') + (body.length / 2).toString(16).padStart(6, '0') + body);

test('SMB2 on an odd port by content, and on 139 behind a NetBIOS session request', async () => {
  const w = new PcapWriter();
  let ts = 1_700_000_000;
  const add = (f: Uint8Array): void => void w.add(f, { ts: (ts += 0.001) });
  for (const f of tcpConversation('10.0.0.1', '10.0.0.2', 50001, 4450, [
    { fromClient: true, data: nbss(0, treeReq) },
    { fromClient: false, data: nbss(0, treeResp) },
  ]))
    add(f);
  // NBSS session request (0x81) with two 34-byte encoded names, positive response (0x82), then SMB
  for (const f of tcpConversation('10.0.0.1', '10.0.0.3', 50002, 139, [
    { fromClient: true, data: nbss(0x81, '20' + '41'.repeat(32) + '00' + '20' + '42'.repeat(32) + '00') },
    { fromClient: false, data: nbss(0x82, '') },
    { fromClient: true, data: nbss(0, treeReq) },
    { fromClient: false, data: nbss(0, treeResp) },
  ]))
    add(f);
  const { result, rows } = await analyzeBytes(w.bytes());
  assert.deepEqual(
    result.flows.map((f) => [f.dst_port, f.app, f.app_source]),
    [
      [4450, 'smb2', 'heuristic'],
      [139, 'smb2', 'port+heuristic'],
    ],
  );
  assert.deepEqual(
    rows.smb.map((r) => [r.flow_id, r.command, r.status, r.tree, r.client_ip, r.server_port]),
    [
      [1, 'TREE_CONNECT', '0x00000000', PATH, '10.0.0.1', 4450],
      [2, 'TREE_CONNECT', '0x00000000', PATH, '10.0.0.1', 139],
    ],
  );
});
