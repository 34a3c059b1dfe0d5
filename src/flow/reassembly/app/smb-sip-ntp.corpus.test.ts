/**
 * Rows of the smb, sip and ntp tables on the corpus captures that carry them, against tshark run on the same
 * file in the test (`tshark -r FILE -Y FILTER -T fields ...`). Captures missing from this checkout are skipped;
 * so is the comparison when tshark is not installed, except under CI, where a missing tshark fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_DIR, FIXTURE_DIR } from '../../../../test/golden/paths.js';
import { analyzeCapture } from '../../test-support/run-capture.js';
import type { FileRow, NtpRow, SipRow, SmbRow } from '../../../shared/app-rows.js';
import { AppLayer } from './app-layer.js';

function find(name: string): string | null {
  for (const d of [FIXTURE_DIR, CORPUS_DIR]) if (existsSync(join(d, name))) return join(d, name);
  return null;
}

const HAVE_TSHARK = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).status === 0;
if (!HAVE_TSHARK && process.env.CI) throw new Error('tshark is required under CI for the smb/sip/ntp oracle');

/** tshark's field rows (tab-separated, one per displayed frame). */
function tshark(path: string, filter: string, fields: string[]): string[][] {
  const args = ['-n', '-r', path, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

interface Rows {
  smb: SmbRow[];
  sip: SipRow[];
  ntp: NtpRow[];
  files: FileRow[];
}

async function rows(path: string): Promise<Rows> {
  const r: Rows = { smb: [], sip: [], ntp: [], files: [] };
  const app = new AppLayer({
    smb: (x) => r.smb.push(x),
    sip: (x) => r.sip.push(x),
    ntp: (x) => r.ntp.push(x),
    file: (x) => r.files.push(x),
  });
  await analyzeCapture(path, { onPacket: app.onPacket, onFlowEnd: app.onFlowEnd });
  return r;
}

const cap = (name: string, fn: (r: Rows, path: string) => void): void => {
  const p = find(name);
  const skip = p === null ? 'capture not present' : !HAVE_TSHARK ? 'tshark not installed' : false;
  test(`app rows vs tshark: ${name}`, { skip }, async () => fn(await rows(p!), p!));
};

cap('smb2-file-transfer.pcap', (r, path) => {
  const smb = r.smb;
  // every CREATE request: its frame, share and file name (tshark leaves smb2.filename out for the share root)
  const creates = tshark(path, 'smb2.cmd == 5 && smb2.flags.response == 0', [
    'frame.number',
    'smb2.tree',
    'smb2.filename',
  ]);
  assert.ok(creates.length >= 4);
  assert.deepEqual(
    smb.filter((x) => x.command === 'CREATE').map((x) => [String(x.packet), x.tree, x.file_name ?? '']),
    creates.map(([n, tree, file]) => [n, tree, file ?? '']),
  );
  // TREE_CONNECT paths
  assert.deepEqual(
    smb.filter((x) => x.command === 'TREE_CONNECT').map((x) => x.tree),
    tshark(path, 'smb2.cmd == 3 && smb2.flags.response == 0', ['smb2.tree']).map(([t]) => t),
  );
  // the negotiated dialect (tshark: 0x0202) on every row after the NEGOTIATE
  const [[dialect]] = tshark(path, 'smb2.cmd == 0 && smb2.flags.response == 1', ['smb2.dialect']) as [
    [string],
  ];
  assert.equal(dialect, '0x0202');
  assert.ok(smb.every((x) => x.dialect === '2.0.2'));
  // NTLMSSP AUTHENTICATE identity, and the rows of that session carry it
  const [[user, domain, host]] = tshark(path, 'ntlmssp.messagetype == 3', [
    'ntlmssp.auth.username',
    'ntlmssp.auth.domain',
    'ntlmssp.auth.hostname',
  ]) as [[string, string, string]];
  const auth = smb.find((x) => x.command === 'SESSION_SETUP' && x.username !== null)!;
  assert.deepEqual([auth.username, auth.domain, auth.host], [user, domain, host]);
  assert.ok(smb.filter((x) => x.command === 'CREATE').every((x) => x.username === user));
  // status of every answered command by MessageId (compound frames list several)
  const statusById = new Map<number, string>();
  for (const [ids, cmds, st] of tshark(path, 'smb2.flags.response == 1', [
    'smb2.msg_id',
    'smb2.cmd',
    'smb2.nt_status',
  ])) {
    const i = ids!.split(',');
    const c = cmds!.split(',');
    const s = st!.split(',');
    i.forEach((id, k) => {
      if (c[k] !== '8' && c[k] !== '9' && s[k] !== '0x00000103') statusById.set(Number(id), s[k]!);
    });
  }
  const ours = smb.filter((x) => x.message_id >= 0);
  assert.equal(ours.length, statusById.size);
  for (const x of ours) assert.equal(x.status, statusById.get(x.message_id), `message ${x.message_id}`);
  // bytes written to the file: the WRITE requests' lengths, summed over the FileId its CREATE got back
  const [[createId]] = tshark(
    path,
    'smb2.cmd == 5 && smb2.flags.response == 0 && smb2.filename == "WP_SMBPlugin.pdf"',
    ['smb2.msg_id'],
  ) as [[string]];
  const [[fid]] = tshark(path, `smb2.cmd == 5 && smb2.flags.response == 1 && smb2.msg_id == ${createId}`, [
    'smb2.fid',
  ]) as [[string]];
  const written = tshark(path, `smb2.cmd == 9 && smb2.flags.response == 0 && smb2.fid == ${fid}`, [
    'smb2.write_length',
  ]).reduce((a, [n]) => a + Number(n), 0);
  assert.ok(written > 1_000_000);
  const close = smb.find((x) => x.command === 'CLOSE' && x.file_name === 'WP_SMBPlugin.pdf')!;
  assert.equal(close.bytes_written, written);
  assert.equal(close.bytes_read, 0);
  // the srvsvc pipe: 116 bytes written (tshark: smb2.write_length of frame 18) and the READ answer
  const pipe = smb.find((x) => x.command === 'CLOSE' && x.file_name === 'srvsvc')!;
  // tshark hands the READ data to DCE/RPC: its length is the NBSS length less header (64) and body (16)
  const [[nbssLen]] = tshark(path, 'smb2.cmd == 8 && smb2.flags.response == 1', ['nbss.length']) as [
    [string],
  ];
  assert.equal(pipe.bytes_read, Number(nbssLen) - 64 - 16);
  assert.equal(pipe.bytes_written, 116);
  // files: tshark --export-objects smb writes one object per file; the PDF's bytes are what the WRITEs
  // carried in order, so its SHA-256 is ours. (tshark's srvsvc object lays the READ data over the WRITE data
  // at the same offsets; we report each direction on its own: 116 bytes up, 92 down.)
  const out = mkdtempSync(join(tmpdir(), 'pcaplens-smb-objects-'));
  try {
    const x = spawnSync('tshark', ['-n', '-r', path, '-q', '--export-objects', `smb,${out}`], {
      encoding: 'utf8',
    });
    assert.equal(x.status, 0, x.stderr);
    const pdf = readdirSync(out).find((n) => n.endsWith('WP_SMBPlugin.pdf'))!;
    const bytes = readFileSync(join(out, pdf));
    const f = r.files.find((x) => x.name === 'WP_SMBPlugin.pdf')!;
    assert.deepEqual(
      [f.proto, f.direction, f.size, f.complete, f.sha256],
      ['smb2', 'upload', bytes.length, true, createHash('sha256').update(bytes).digest('hex')],
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  assert.deepEqual(
    r.files.map((x) => [x.name, x.direction, x.size]),
    [
      ['srvsvc', 'upload', 116],
      ['srvsvc', 'download', 92],
      ['WP_SMBPlugin.pdf', 'upload', 1508939],
    ],
  );
  // every row is between the client and the server on 445
  assert.ok(
    smb.every((x) => x.client_ip === '10.0.0.11' && x.server_ip === '10.0.0.12' && x.server_port === 445),
  );
});

cap('sip-call.pcap', (r, path) => {
  const theirs = tshark(path, 'sip', [
    'frame.number',
    'sip.Method',
    'sip.Status-Code',
    'sip.Call-ID',
    'sip.CSeq',
    'sip.User-Agent',
    'sip.From',
    'sip.To',
  ]);
  assert.ok(theirs.length > 40);
  assert.deepEqual(
    r.sip.map((x) => [
      String(x.packet),
      x.method ?? '',
      x.status === null ? '' : String(x.status),
      x.call_id ?? '',
      x.cseq ?? '',
      x.user_agent ?? '',
      x.from_addr ?? '',
      x.to_addr ?? '',
    ]),
    theirs.map((row) => Array.from({ length: 8 }, (_, k) => row[k] ?? '')),
  );
  // requests come from the client; a response goes back to the sender of its request (same Call-ID, CSeq)
  for (const x of r.sip) assert.equal(x.transport, 'udp');
  const asker = new Map(
    r.sip.filter((x) => x.method !== null).map((x) => [`${x.call_id} ${x.cseq}`, x.client_ip]),
  );
  const answered = r.sip.filter((x) => x.status !== null && asker.has(`${x.call_id} ${x.cseq}`));
  assert.ok(answered.length > 10);
  for (const x of answered)
    assert.equal(x.client_ip, asker.get(`${x.call_id} ${x.cseq}`), `frame ${x.packet}`);
});

/** tshark's absolute time text ("May 26, 2017 13:22:09.482904187 UTC") as ISO-8601 with its nanoseconds. */
function isoOf(t: string): string {
  const m = /^(\w{3}) +(\d+), (\d{4}) (\d\d:\d\d:\d\d)\.(\d{9}) UTC$/.exec(t);
  assert.ok(m, t);
  const d = new Date(`${m[1]} ${m[2]}, ${m[3]} ${m[4]} UTC`).toISOString().slice(0, 19);
  return `${d}.${m[5]}Z`;
}

for (const name of ['ntp-digest.pcap', 'android-phone-mixed.pcap'])
  cap(name, (r, path) => {
    const theirs = tshark(path, 'ntp', [
      'frame.number',
      'ntp.flags.vn',
      'ntp.flags.mode',
      'ntp.stratum',
      'ntp.refid',
      'ntp.xmt',
    ]);
    assert.ok(theirs.length > 0);
    const MODE = ['reserved', 'symmetric active', 'symmetric passive', 'client', 'server', 'broadcast'];
    assert.deepEqual(
      r.ntp.map((x) => [String(x.packet), String(x.version), x.mode, String(x.stratum), x.transmit_ts]),
      theirs.map(([n, v, mode, st, , xmt]) => [n, v, MODE[Number(mode)], st, isoOf(xmt!)]),
    );
    // stratum 2 and up: the reference id is the upstream server's IPv4 address
    theirs.forEach(([, , , st, refid], k) => {
      if (Number(st) < 2) return;
      const ip = refid!
        .match(/../g)!
        .map((h) => parseInt(h, 16))
        .join('.');
      assert.equal(r.ntp[k]!.reference_id, ip);
    });
  });
