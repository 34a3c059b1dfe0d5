import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { Worker, type Transferable } from 'node:worker_threads';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFiles } from '../../engine/analyze-files.js';
import { FLOW_COLUMNS } from '../columns.js';
import { MemoryStream } from '../io.js';
import { FlowJsonPipe } from './flow-json-pipe.js';
import { CORPUS_DIR } from '../../../test/golden/paths.js';
import { RowStream } from './row-stream.js';
import { PcapWriter } from '../../wire/pcap-writer.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fx = (name: string): string => join(root, 'test/fixtures', name);
const CAPTURES = [
  'vxlan-http.pcap',
  'ipv6-fragments-mdns.pcap',
  'pcapng-le-comments-two-linktypes.pcapng',
  'arp-requests.pcap',
  'pcap-empty-header-only.pcap',
];

/** flows --format json as the rows are written one by one on this thread. */
async function classic(path: string): Promise<string> {
  const out = new MemoryStream(false);
  const stream = new RowStream(out, 'json', FLOW_COLUMNS);
  await analyzeFiles([path], { hosts: false, app: false, onFlow: (r) => stream.add(r) });
  await stream.end();
  return out.text;
}

test('flow JSON pipe: the worker thread writes the same text as RowStream.add, batch after batch', async () => {
  for (const name of CAPTURES) {
    const out = new MemoryStream(false);
    const stream = new RowStream(out, 'json', FLOW_COLUMNS);
    const pipe = new FlowJsonPipe(stream, null);
    await pipe.run((opts) => analyzeFiles([fx(name)], { hosts: false, app: false, ...opts }));
    await stream.end();
    const want = await classic(fx(name));
    assert.equal(out.text, want, name);
    if (name.startsWith('pcap-empty')) assert.equal(want, '[]\n');
    else assert.ok(JSON.parse(want).length > 0, name);
  }
});

/** A script running the CLI on the process's own stdout and stderr, as bin/pcaplens.js does. */
function cliRunner(dir: string): string {
  const runner = join(dir, 'run.mjs');
  writeFileSync(
    runner,
    `const { main } = await import(${JSON.stringify(new URL('../main.ts', import.meta.url).href)});\n` +
      `process.exitCode = await main(process.argv.slice(2));\n`,
  );
  return runner;
}

test('flows --format json to the process stdout (a pipe): the worker writes it directly, same bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-pipe-'));
  try {
    const runner = cliRunner(dir);
    for (const name of CAPTURES) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', runner, 'flows', '--format', 'json', fx(name)],
        {
          cwd: root,
          encoding: 'utf8',
          maxBuffer: 1 << 26,
        },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, await classic(fx(name)), name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const BIG = join(CORPUS_DIR, 'mixed-many-protocols.pcap');
test(
  'flows --format json | head: the reader going away ends the run quietly with status 0',
  { skip: !existsSync(BIG) && 'no ../shared/corpus' },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcaplens-pipe-'));
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', cliRunner(dir), 'flows', '--format', 'json', BIG],
        {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      // the reader goes away before the first row, as `head -c 0` would: the first write meets EPIPE
      child.stdout.destroy();
      const code = await new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
      assert.equal(err, '');
      assert.equal(code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('flow JSON pipe: batches stay in shared memory, nothing is transferred (no buffer of the reading thread is detached)', async () => {
  const transfers: unknown[] = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, value: unknown, transferList?: readonly unknown[]) {
    if (transferList !== undefined) transfers.push(...transferList);
    post.call(this, value, transferList as Transferable[] | undefined);
  };
  try {
    const out = new MemoryStream(false);
    const stream = new RowStream(out, 'json', FLOW_COLUMNS);
    const pipe = new FlowJsonPipe(stream, null);
    await pipe.run((opts) => analyzeFiles([fx('vxlan-http.pcap')], { hosts: false, app: false, ...opts }));
    await stream.end();
    assert.ok(JSON.parse(out.text).length > 0);
  } finally {
    Worker.prototype.postMessage = post;
  }
  assert.deepEqual(transfers, []);
});

/** 40 000 one-packet UDP conversations, all still live when the input ends (20 batches at once). */
function burstCapture(dir: string): string {
  const chunks: Uint8Array[] = [];
  const w = new PcapWriter((c) => chunks.push(c.slice()), { linkType: 1 });
  const frame = new Uint8Array(42);
  const v = new DataView(frame.buffer);
  v.setUint16(12, 0x0800);
  frame[14] = 0x45;
  v.setUint16(16, 28);
  frame[22] = 64;
  frame[23] = 17;
  v.setUint32(26, 0x0a000001);
  v.setUint16(38, 8);
  for (let i = 0; i < 40_000; i++) {
    v.setUint16(34, 1024 + (i % 60_000));
    v.setUint16(36, 20_000 + Math.floor(i / 60_000));
    v.setUint32(30, 0x0a000002 + Math.floor(i / 1000));
    w.write(1_700_000_000 + Math.floor(i / 100), 0, frame, 0, 42, 60);
  }
  w.flush();
  const path = join(dir, 'burst.pcap');
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

test('flow JSON pipe: a burst of live flows at the end keeps every row, in order, on both paths', async () => {
  // finish() hands 20 batches over at once: through the text path the reading thread waits for the worker
  // (FlowJsonPipe.holdBack); on the process's stdout it writes every other batch itself, in turn with the
  // worker (FlowJsonPipe.tail)
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-burst-'));
  try {
    const path = burstCapture(dir);
    const want = await classic(path);
    assert.equal((JSON.parse(want) as unknown[]).length, 40_000);
    const out = new MemoryStream(false);
    const stream = new RowStream(out, 'json', FLOW_COLUMNS);
    const pipe = new FlowJsonPipe(stream, null);
    await pipe.run((opts) => analyzeFiles([path], { hosts: false, app: false, ...opts }));
    await stream.end();
    assert.equal(out.text, want);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', cliRunner(dir), 'flows', '--format', 'json', path],
      { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, want);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
