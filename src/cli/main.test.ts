import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { main, version } from './main.js';
import { MemoryStream } from './io.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'test/fixtures');
const fx = (name: string): string => join(fixtures, name);
const tmp = mkdtempSync(join(tmpdir(), 'pcaplens-cli-'));

async function run(argv: string[], opts: { tty?: boolean } = {}) {
  const stdout = new MemoryStream(opts.tty ?? false);
  const stderr = new MemoryStream(false);
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

function oraclePackets(name: string): number {
  const m = /^packets\t(\d+)$/m.exec(readFileSync(join(fixtures, 'oracle', name + '.txt'), 'utf8'));
  return Number(m![1]);
}

test('--version and --help', async () => {
  const v = await run(['--version']);
  assert.deepEqual(v, { code: 0, out: version() + '\n', err: '' });
  assert.match(version(), /^\d+\.\d+\.\d+/);
  const h = await run(['--help']);
  assert.equal(h.code, 0);
  for (const c of ['summary', 'flows', 'hosts']) assert.match(h.out, new RegExp(`^  ${c} `, 'm'));
  const fh = await run(['flows', '--help']);
  assert.equal(fh.code, 0);
  assert.match(fh.out, /Example:\n  pcaplens flows /);
  assert.match(fh.out, /table when stdout is a terminal, json otherwise/);
});

test('usage errors: one line on stderr, exit 2', async () => {
  for (const argv of [
    ['bogus'],
    ['--bogus'],
    ['flows', '--bogus', fx('arp-requests.pcap')],
    ['flows', '--format', 'xml', fx('arp-requests.pcap')],
    ['hosts'],
  ]) {
    const r = await run(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.out, '');
    assert.match(r.err, /^pcaplens: [^\n]+\n$/, argv.join(' '));
  }
  assert.match((await run(['flows', '--bogus', 'x'])).err, /unknown option '--bogus'/);
});

test('missing file and non-capture: one line, no stack, exit 1', async () => {
  const missing = await run(['summary', join(tmp, 'nope.pcap')]);
  assert.equal(missing.code, 1);
  assert.equal(missing.out, '');
  assert.match(missing.err, /^pcaplens: .*nope\.pcap: no such file\n$/);
  const text = join(tmp, 'notes.txt');
  writeFileSync(text, 'this is not a capture\n');
  const notCapture = await run(['flows', text]);
  assert.equal(notCapture.code, 1);
  assert.match(notCapture.err, /^pcaplens: .*not a pcap or pcapng file[^\n]*\n$/);
  assert.doesNotMatch(notCapture.err, /\n\s+at /);
});

test('broken capture with readable packets: output, a warning naming file and offset, exit 0', async () => {
  const name = 'broken-corrupt-record-midfile-smtp.pcap';
  const r = await run(['summary', '--format', 'json', fx(name)]);
  assert.equal(r.code, 0);
  const s = JSON.parse(r.out);
  assert.ok(s.packets >= oraclePackets(name));
  assert.ok(s.problems.length >= 1);
  assert.match(
    r.err,
    new RegExp(`^pcaplens: warning: \\S*${name.replaceAll('.', '\\.')}: offset \\d+: `, 'm'),
  );
});

test('several files, one missing: the others are read, the missing one is a warning', async () => {
  const r = await run(['summary', '--format', 'json', fx('arp-requests.pcap'), join(tmp, 'gone.pcap')]);
  assert.equal(r.code, 0);
  const s = JSON.parse(r.out);
  assert.equal(s.files.length, 2);
  assert.equal(s.packets, oraclePackets('arp-requests.pcap'));
  assert.equal(s.files[1].problems[0].code, 'E_NOT_FOUND');
  assert.match(r.err, /warning: .*gone\.pcap/);
});

test('summary json: one object with the oracle packet count; gzip is read transparently', async () => {
  const name = 'vxlan-http.pcap';
  const gz = join(tmp, name + '.gz');
  writeFileSync(gz, gzipSync(readFileSync(fx(name))));
  const r = await run(['summary', '--format', 'json', fx(name), gz]);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.packets, 2 * oraclePackets(name));
  assert.deepEqual(
    s.files.map((f: { format: string; packets: number }) => [f.format, f.packets]),
    [
      ['pcap', 12],
      ['pcap+gzip', 12],
    ],
  );
});

test('flows and hosts: json is exactly one array on stdout, csv has the same rows', async () => {
  for (const verb of ['flows', 'hosts']) {
    const j = await run([verb, fx('dns-edns-ecs-ipv4-fragments.pcap')]); // not a TTY: json by default
    assert.equal(j.code, 0, j.err);
    const rows = JSON.parse(j.out);
    assert.ok(Array.isArray(rows) && rows.length > 0);
    const c = await run([verb, '--format', 'csv', fx('dns-edns-ecs-ipv4-fragments.pcap')]);
    const lines = c.out.split('\r\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, rows.length + 1);
    assert.ok(lines[0]!.startsWith(verb === 'flows' ? 'id,proto,' : 'ip,kind,'));
  }
});

test('--filter keeps the matching rows; a bad filter is a usage error naming the nearest field', async () => {
  const file = fx('dns-edns-ecs-ipv4-fragments.pcap');
  const all = JSON.parse((await run(['flows', file])).out) as {
    proto: string;
    src_port: number;
    dst_port: number;
  }[];
  const tcp = await run(['flows', '--filter', 'tcp', file]);
  assert.equal(tcp.code, 0, tcp.err);
  const rows = JSON.parse(tcp.out) as { proto: string }[];
  assert.equal(rows.length, all.filter((f) => f.proto === 'tcp').length);
  assert.ok(rows.length > 0 && rows.every((f) => f.proto === 'tcp'));
  const dns = JSON.parse(
    (await run(['flows', '--format', 'json', '--filter', 'udp and port == 53', file])).out,
  );
  assert.equal(
    dns.length,
    all.filter((f) => f.proto === 'udp' && (f.src_port === 53 || f.dst_port === 53)).length,
  );
  const hosts = JSON.parse((await run(['hosts', '--filter', 'host.packets_sent >= 10', file])).out);
  assert.ok(hosts.length > 0 && hosts.every((h: { packets_sent: number }) => h.packets_sent >= 10));
  const bad = await run(['flows', '--filter', 'ip.adr == 1.2.3.4', file]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^pcaplens: filter, column 1: unknown field ip\.adr; did you mean ip\.addr\?\n$/);
  assert.equal(bad.out, '');
  assert.equal((await run(['summary', '--filter', 'tcp', file])).code, 2);
});

test('default format on a terminal is a table', async () => {
  const r = await run(['flows', fx('vxlan-http.pcap')], { tty: true });
  assert.equal(r.code, 0);
  assert.match(r.out, /^id +proto +src_ip/);
  assert.throws(() => JSON.parse(r.out));
});

test('hostile text (a file name) cannot drive the terminal or a spreadsheet', async (t) => {
  // a relative name, so the cell starts with the file name's own first character
  const evil = '=HYPERLINK("x")\x1b[2J\x1b]0;pwned\x07.pcap';
  copyFileSync(fx('arp-requests.pcap'), join(tmp, evil));
  const cwd = process.cwd();
  process.chdir(tmp);
  t.after(() => process.chdir(cwd));
  const table = await run(['summary', '--format', 'table', evil]);
  assert.equal(table.code, 0);
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(table.out), 'raw control character in table output');
  assert.match(table.out, /\\e\[2J\\e\]0;pwned\\x07\.pcap/);
  const csv = await run(['summary', '--format', 'csv', evil]);
  const nameLine = csv.out.split('\r\n').find((l) => l.startsWith('files[0].name,'));
  assert.ok(nameLine?.startsWith(`files[0].name,"'=HYPERLINK`), nameLine);
  const json = await run(['summary', '--format', 'json', evil]);
  assert.ok(!json.out.includes('\x1b'));
  assert.equal(JSON.parse(json.out).files[0].name, evil);
});

const dist = join(root, 'dist/cli/main.js');
test('bin/pcaplens.js runs the built CLI', { skip: !existsSync(dist) && 'no dist (npm run build)' }, () => {
  // run as npx runs it: the file itself, through its #! line
  const r = spawnSync(
    join(root, 'bin/pcaplens.js'),
    ['summary', '--format', 'json', fx('arp-requests.pcap')],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).packets, oraclePackets('arp-requests.pcap'));
  const bad = spawnSync(
    process.execPath,
    [join(root, 'bin/pcaplens.js'), 'flows', join(tmp, 'missing.pcap')],
    { encoding: 'utf8' },
  );
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^pcaplens: [^\n]+\n$/);
});

test('summary --tables: every application table decoded, its row count equal to the table command', async () => {
  for (const name of [
    'dhcp-dora.pcap',
    'nflog-http.pcap',
    'pppoe-over-qinq-tls.pcap',
    'ipv6-fragments-mdns.pcap',
  ]) {
    const s = await run(['summary', fx(name), '--format', 'json', '--tables']);
    assert.equal(s.code, 0, s.err);
    const rows = JSON.parse(s.out).app_rows as Record<string, number>;
    let some = 0;
    for (const table of ['dns', 'http', 'tls', 'dhcp', 'credentials', 'files', 'ssh', 'smb', 'sip', 'ntp']) {
      const t = await run([table, fx(name), '--format', 'json']);
      assert.equal(t.code, 0, t.err);
      assert.equal(rows[table], JSON.parse(t.out).length, `${name} ${table}`);
      some += rows[table]!;
    }
    assert.ok(some > 0, name);
  }
  const plain = JSON.parse((await run(['summary', fx('dhcp-dora.pcap'), '--format', 'json'])).out);
  assert.equal(plain.app_rows, undefined);
});
