/**
 * Rows of the dhcp, credentials, files and ssh tables on the corpus captures that carry them, against values
 * read with tshark (named per assertion). Captures missing from this checkout are skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, FIXTURE_DIR } from '../../../../test/golden/paths.js';
import { analyzeCapture } from '../../test-support/run-capture.js';
import type { CredentialRow, DhcpRow, FileRow, SshRow, TlsRow } from '../../../shared/app-rows.js';
import { AppLayer } from './app-layer.js';

function find(name: string): string | null {
  for (const d of [FIXTURE_DIR, CORPUS_DIR]) if (existsSync(join(d, name))) return join(d, name);
  return null;
}

interface Rows {
  dhcp: DhcpRow[];
  cred: CredentialRow[];
  file: FileRow[];
  ssh: SshRow[];
  tls: TlsRow[];
}

async function rows(path: string): Promise<Rows> {
  const r: Rows = { dhcp: [], cred: [], file: [], ssh: [], tls: [] };
  const app = new AppLayer({
    dhcp: (x) => r.dhcp.push(x),
    credential: (x) => r.cred.push(x),
    file: (x) => r.file.push(x),
    ssh: (x) => r.ssh.push(x),
    tls: (x) => r.tls.push(x),
  });
  await analyzeCapture(path, { onPacket: app.onPacket, onFlowEnd: app.onFlowEnd });
  return r;
}

const cap = (name: string, fn: (r: Rows) => void): void => {
  const p = find(name);
  test(`app rows: ${name}`, { skip: p === null ? 'capture not present' : false }, async () =>
    fn(await rows(p!)),
  );
};

cap('dhcp-dora.pcap', (r) => {
  // tshark -e dhcp.option.dhcp: 1 2 3 6 3 5 4 7 8
  assert.deepEqual(
    r.dhcp.map((x) => x.msg_type),
    ['DISCOVER', 'OFFER', 'REQUEST', 'NAK', 'REQUEST', 'ACK', 'DECLINE', 'RELEASE', 'INFORM'],
  );
  const ack = r.dhcp[5]!;
  assert.equal(ack.assigned_ip, '128.2.6.189');
  assert.equal(ack.lease_time, 900);
  assert.equal(ack.server_id, '128.2.6.152');
  assert.equal(ack.client_mac, '90:b1:1c:99:49:29');
  assert.equal(r.dhcp[0]!.host_name, 'btest.is.cool');
  assert.equal(r.dhcp[0]!.client_port, 68);
});

cap('ftp-login-ipv4.pcap', (r) => {
  assert.deepEqual(
    r.cred.map((c) => [c.proto, c.username, c.password, c.server_port]),
    [['ftp', 'anonymous', 'test', 21]],
  );
  // the RETR robots.txt data connection; sha256sum of tshark's follow,tcp,raw of that stream
  assert.equal(r.file.length, 1);
  assert.equal(r.file[0]!.name, 'robots.txt');
  assert.equal(r.file[0]!.size, 77);
  assert.equal(r.file[0]!.direction, 'download');
  assert.equal(r.file[0]!.sha256, '92101c97b7425d24309c923bbd4a554f85d8b0b1ce105666bc8f64c0c72d7fac');
  assert.equal(r.file[0]!.client_ip, '141.142.220.235');
});

cap('pop3-auth-plain.pcap', (r) => {
  assert.deepEqual(
    r.cred.map((c) => [c.method, c.username, c.password]),
    [
      ['auth plain', 'digitalinvestigator@networksims.com', 'napier'],
      ['auth plain', 'digitalinvestigator@networksims.com', 'napier123'],
      ['auth plain', 'digitalinvestigator@networksims.com', 'napier123'],
    ],
  );
});

cap('imap-login.pcap', (r) => {
  assert.deepEqual(
    r.cred.map((c) => [c.proto, c.method, c.username, c.password]),
    [['imap', 'login', 'neulingern', 'XXXXXX']],
  );
});

cap('smtp-auth-login.pcap', (r) => {
  assert.deepEqual(
    r.cred.map((c) => [c.method, c.username, c.password]),
    [['auth login', 'gurpartap@patriots.in', 'punjab@123']],
  );
  // tshark -e imf.subject; the attachment of the first (ends before its message): mail-files.corpus.test.ts
  assert.deepEqual(
    r.file.map((f) => [f.proto, f.name, f.complete]),
    [
      ['smtp', 'NEWS.txt', true],
      ['smtp', 'SMTP', true],
      ['smtp', 'Re: Bro SMTP CC Header', true],
    ],
  );
});

cap('telnet-login-cooked.pcap', (r) => {
  assert.deepEqual(
    r.cred.map((c) => [c.proto, c.username, c.password]),
    [['telnet', 'fake', 'user']],
  );
});

cap('ssh-single-conn.pcap', (r) => {
  // tshark -e ssh.kex.hassh -e ssh.kex.hasshserver
  assert.equal(r.ssh.length, 1);
  assert.equal(r.ssh[0]!.hassh, 'c4fd9343cba76d12f0dd523fbe7c4da1');
  assert.equal(r.ssh[0]!.hassh_server, 'f430cd6761697a6a658ee1d45ed22e49');
  assert.equal(r.ssh[0]!.client_banner, 'SSH-2.0-OpenSSH_3.8.1p1');
  assert.equal(r.ssh[0]!.server_port, 22);
});

cap('snmpwalk.pcap', (r) => {
  assert.deepEqual(
    r.cred.map((c) => [c.proto, c.password]),
    [['snmp', 'public']],
  );
});

cap('tls12-sni-sct.pcap', (r) => {
  // tshark -e tls.handshake.ja3 / ja3s, x509 fields of frame 9
  const t = r.tls[0]!;
  assert.equal(t.server_name, 'ritter.vg');
  assert.equal(t.ja3, 'b1afe2c6450b5e4734275e639199d5fe');
  assert.equal(t.ja3s, 'c6fb5c8105271d5fb88ecf79cac4e1d5');
  assert.equal(t.cert_serial, '7b60cd98584a56ec9c2145c40c54f830');
  assert.deepEqual(t.cert_san, ['ritter.vg', 'www.ritter.vg']);
  assert.equal(t.cert_chain_len, 3);
});
