import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open.js';
import { exportToFile, formatForPath } from './export.js';
import { openInputs } from './capture-source.js';
import { walkFrames } from './frames.js';
import { ingestFiles } from './ingest.js';
import { READ_END, READ_NEED_MORE, READ_RECORD } from '../wire/reader.js';
import { PacketRecord } from '../wire/record.js';

const fixtures = new URL('../../test/fixtures/', import.meta.url).pathname;
const fx = (name: string) => join(fixtures, name);

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const tsharkNumbers = (file: string, display?: string) =>
  tool('tshark', ['-r', file, ...(display ? ['-Y', display] : []), '-T', 'fields', '-e', 'frame.number'])
    .split('\n')
    .filter(Boolean)
    .map(Number);

/** capinfos -M lines of interest: encapsulation, precision, counts and times */
function capinfos(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of tool('capinfos', ['-M', file]).split('\n')) {
    const m = /^([A-Za-z ]+?):\s+(.*)$/.exec(line.trim()) ?? /^([A-Za-z ]+?) = (.*)$/.exec(line.trim());
    if (m && !(m[1]! in out)) out[m[1]!] = m[2]!;
  }
  return out;
}

interface Rec {
  linkType: number;
  ts: string;
  caplen: number;
  len: number;
  bytes: string;
  comment: string | null;
}

async function records(paths: string[]): Promise<Rec[]> {
  const inputs = await openInputs(paths);
  const out: Rec[] = [];
  const rec = new PacketRecord();
  try {
    for (;;) {
      const s = inputs.reader.read(rec);
      if (s === READ_NEED_MORE) await inputs.reader.fill();
      else if (s === READ_END) break;
      else if (s === READ_RECORD)
        out.push({
          linkType: rec.linkType,
          ts: `${rec.tsSec}.${String(rec.tsNsec).padStart(9, '0')}`,
          caplen: rec.caplen,
          len: rec.len,
          bytes: Buffer.from(rec.buf.subarray(rec.off, rec.off + rec.caplen)).toString('hex'),
          comment: rec.comment,
        });
    }
  } finally {
    await inputs.close();
  }
  return out;
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-export-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Exports, then checks the output against tshark, capinfos and our own reader. */
async function roundTrip(
  dir: string,
  src: string,
  filter: string | null,
  out: string,
  tsharkFilter?: string,
) {
  const path = join(dir, out);
  const format = formatForPath(path)!;
  const result = await exportToFile({ paths: [src] }, { format, filter }, path);
  const selected: number[] = [];
  await walkFrames({ paths: [src] }, { filter }, (p) => void selected.push(p.n));
  if (tsharkFilter !== undefined)
    assert.deepEqual(selected, tsharkNumbers(src, tsharkFilter), 'selection = tshark -Y');
  assert.equal(result.packets, selected.length);
  // tshark reads back every frame we wrote
  assert.equal(tsharkNumbers(path).length, result.packets);
  // and our reader reads back exactly the selected records, bytes, times and lengths included
  const original = await records([src]);
  const back = await records([path]);
  assert.deepEqual(
    back.map((r) => ({ ...r, comment: format === 'pcap' ? null : r.comment })),
    selected.map((n) => ({
      ...original[n - 1]!,
      comment: format === 'pcap' ? null : original[n - 1]!.comment,
    })),
  );
  assert.equal((await stat(path)).size, result.bytes);
  return { result, info: capinfos(path), srcInfo: capinfos(src) };
}

test('export pcap: microsecond source, filtered on frame fields, agrees with tshark and capinfos', async () => {
  await withDir(async (dir) => {
    const src = fx('tcp-retransmissions-http.pcap');
    const { result, info, srcInfo } = await roundTrip(
      dir,
      src,
      'frame.len > 100',
      'big.pcap',
      'frame.len > 100',
    );
    assert.ok(result.packets > 10 && result.packets < 108, String(result.packets));
    assert.equal(info['File type'], 'pcap');
    assert.equal(info['File encapsulation'], srcInfo['File encapsulation']);
    assert.equal(info['File timestamp precision'], srcInfo['File timestamp precision']);
    assert.equal(result.nanosecond, false);
  });
});

test('export keeps nanoseconds: pcap nanosecond magic and pcapng if_tsresol 9', async () => {
  await withDir(async (dir) => {
    const src = fx('pcap-le-nsec-sll-tcp-handshake.pcap');
    const a = await roundTrip(dir, src, null, 'ns.pcap');
    assert.equal(a.info['File type'], 'nsecpcap');
    assert.equal(a.info['File timestamp precision'], 'nanoseconds (9)');
    assert.equal(a.info['First packet time'], a.srcInfo['First packet time']);
    assert.equal(a.info['Last packet time'], a.srcInfo['Last packet time']);
    assert.equal(a.info['File encapsulation'], 'linux-sll');
    const b = await roundTrip(dir, src, null, 'ns.pcapng');
    assert.equal(b.info['File type'], 'pcapng');
    assert.equal(b.info['Time precision'], 'nanoseconds (9)');
    assert.equal(b.info['First packet time'], a.srcInfo['First packet time']);
    assert.equal(b.result.nanosecond, true);
  });
});

test('export on conversation fields selects the frames tshark selects (VXLAN inner TCP)', async () => {
  await withDir(async (dir) => {
    const { result } = await roundTrip(
      dir,
      fx('vxlan-http.pcap'),
      'tcp.port == 80',
      'http.pcapng',
      'tcp.port == 80',
    );
    assert.equal(result.packets, 12);
    const none = await roundTrip(dir, fx('vxlan-http.pcap'), 'udp and ip.addr == 10.9.9.9', 'none.pcap');
    assert.equal(none.result.packets, 0);
  });
});

test('two link types: pcapng keeps both interfaces; pcap is refused and leaves no file', async () => {
  await withDir(async (dir) => {
    const src = fx('pcapng-le-comments-two-linktypes.pcapng');
    const { result, info } = await roundTrip(dir, src, null, 'all.pcapng');
    assert.equal(result.packets, 159);
    assert.deepEqual(result.link_types.sort(), [1, 113]);
    assert.equal(info['File encapsulation'], 'per-packet');
    assert.equal(info['Number of interfaces in file'], '2');
    await assert.rejects(
      exportToFile({ paths: [src] }, { format: 'pcap' }, join(dir, 'all.pcap')),
      (e: Error & { code?: string }) => e.code === 'E_USAGE' && /several link types/.test(e.message),
    );
    assert.deepEqual((await readdir(dir)).sort(), ['all.pcapng']);
    await assert.rejects(
      exportToFile({ paths: [src] }, { format: 'pcapng' }, join(dir, 'all.pcapng')),
      (e: Error & { code?: string }) => e.code === 'E_EXISTS',
    );
  });
});

test('a stored capture exports the same bytes as its file, with a time window', async () => {
  await withDir(async (dir) => {
    const store = await openStore(undefined, join(dir, 'data'));
    try {
      const src = fx('tcp-retransmissions-http.pcap');
      const row = await ingestFiles(store, join(dir, 'data'), [src]);
      const q = {
        format: 'pcap' as const,
        filter: 'flow.tcp_flags contains "F" and frame.len < 70',
        from: '+1s',
        to: '+20s',
      };
      const a = await exportToFile({ paths: [src] }, q, join(dir, 'a.pcap'));
      const b = await exportToFile(
        { store, dataDir: join(dir, 'data'), captureId: row.id },
        q,
        join(dir, 'b.pcap'),
      );
      assert.ok(a.packets > 0);
      assert.deepEqual(b, a);
      assert.deepEqual(await records([join(dir, 'b.pcap')]), await records([join(dir, 'a.pcap')]));
    } finally {
      await store.close();
    }
  });
});

test('the stored selection equals the file selection, with conversation-only filters run by the store', async () => {
  await withDir(async (dir) => {
    const store = await openStore(undefined, join(dir, 'data'));
    try {
      const src = fx('dns-edns-ecs-ipv4-fragments.pcap');
      const row = await ingestFiles(store, join(dir, 'data'), [src]);
      const stored = { store, dataDir: join(dir, 'data'), captureId: row.id };
      let flowless = 0;
      await walkFrames({ paths: [src] }, {}, (p) => void (p.flow_id === null && flowless++));
      assert.ok(flowless > 0, 'fragments waiting for the rest of their datagram have no conversation');
      for (const filter of [
        'not udp',
        'udp',
        'app == "dns" and not ip.addr == 8.8.8.8',
        'frame.len > 1000 or tcp',
      ]) {
        const a: number[] = [];
        const b: number[] = [];
        await walkFrames({ paths: [src] }, { filter }, (p) => void a.push(p.n));
        await walkFrames(stored, { filter }, (p) => void b.push(p.n));
        assert.ok(a.length > 0, filter);
        assert.deepEqual(b, a, filter);
      }
    } finally {
      await store.close();
    }
  });
});
