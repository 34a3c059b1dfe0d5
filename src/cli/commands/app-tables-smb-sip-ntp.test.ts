/**
 * pcaplens smb / sip / ntp end to end: JSON rows in the table's column order, filters on the new fields,
 * the CSV header, the table view free of escape sequences, and --help.
 * Captures come from the corpus (skipped when it is absent); their values are checked against tshark in
 * flow/reassembly/app/smb-sip-ntp.corpus.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, FIXTURE_DIR } from '../../../test/golden/paths.js';
import type { NtpRow, SipRow, SmbRow } from '../../shared/app-rows.js';
import { rowColumns } from '../../shared/filter/tables.js';
import { main } from '../main.js';
import { MemoryStream } from '../io.js';

async function run(argv: string[]) {
  const stdout = new MemoryStream(false);
  const stderr = new MemoryStream(false);
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

const find = (n: string) =>
  [FIXTURE_DIR, CORPUS_DIR].map((d) => join(d, n)).find((p) => existsSync(p)) ?? null;
const smbCap = find('smb2-file-transfer.pcap');
const sipCap = find('sip-call.pcap');
const ntpCap = find('ntp-digest.pcap');

test('pcaplens smb: JSON rows, a filter on smb2 fields, the table view', { skip: !smbCap }, async () => {
  const r = await run(['smb', smbCap!, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as SmbRow[];
  assert.deepEqual(
    Object.keys(rows[0]!),
    rowColumns('smb').map((c) => c.name),
  );
  assert.deepEqual(rows[0]!.command, 'NEGOTIATE');
  const f = await run(['smb', smbCap!, '--format', 'json', '--filter', 'smb2.bytes_written > 1000000']);
  assert.equal(f.code, 0, f.err);
  const big = JSON.parse(f.out) as SmbRow[];
  assert.deepEqual(
    big.map((x) => [x.command, x.file_name, x.tree]),
    [['CLOSE', 'WP_SMBPlugin.pdf', '\\\\10.0.0.12\\smb2']],
  );
  const t = await run(['smb', smbCap!, '--format', 'table']);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /TREE_CONNECT/);
  assert.doesNotMatch(t.out, /\x1b/);
  const h = await run(['smb', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /bytes_read\/bytes_written/);
});

test('pcaplens sip: rows and CSV', { skip: !sipCap }, async () => {
  const r = await run(['sip', sipCap!, '--format', 'json', '--filter', 'sip.status == 401']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as SipRow[];
  // tshark -Y 'sip.Status-Code == 401': 14 frames, 9 "Unauthorized" and 5 "nonce has changed"
  assert.equal(rows.length, 14);
  assert.ok(rows.every((x) => x.status === 401 && x.method === null));
  assert.equal(rows.filter((x) => x.reason === 'Unauthorized').length, 9);
  const c = await run(['sip', sipCap!, '--format', 'csv']);
  assert.equal(c.code, 0, c.err);
  assert.match(
    c.out.split('\r\n')[0]!,
    /^flow_id,ts,packet,.*,transport,method,status,reason,uri,from_addr,to_addr,call_id,cseq,user_agent$/,
  );
});

test('pcaplens ntp: rows', { skip: !ntpCap }, async () => {
  const r = await run(['ntp', ntpCap!, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as NtpRow[];
  assert.equal(rows.length, 40); // tshark: 40 NTP frames
  assert.equal(rows[0]!.transmit_ts, '2017-05-26T13:22:09.482904187Z');
});

test('pcaplens smb on a capture without SMB prints an empty array', async () => {
  const r = await run(['smb', join(FIXTURE_DIR, 'dhcp-dora.pcap'), '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), []);
});
