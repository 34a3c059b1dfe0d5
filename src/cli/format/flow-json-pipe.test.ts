import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFiles } from '../../engine/analyze-files.js';
import { FLOW_COLUMNS } from '../columns.js';
import { MemoryStream } from '../io.js';
import { FlowJsonPipe } from './flow-json-pipe.js';
import { RowStream } from './row-stream.js';

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
    try {
      await analyzeFiles([fx(name)], {
        hosts: false,
        app: false,
        onFlowState: pipe.push,
        afterChunk: pipe.afterChunk,
      });
      await pipe.end();
    } finally {
      await pipe.close();
    }
    await stream.end();
    const want = await classic(fx(name));
    assert.equal(out.text, want, name);
    if (name.startsWith('pcap-empty')) assert.equal(want, '[]\n');
    else assert.ok(JSON.parse(want).length > 0, name);
  }
});

test('flows --format json to the process stdout (a pipe): the worker writes it directly, same bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-pipe-'));
  try {
    const runner = join(dir, 'run.mjs');
    const mainUrl = new URL('../main.ts', import.meta.url).href;
    writeFileSync(
      runner,
      `const { main } = await import(${JSON.stringify(mainUrl)});\n` +
        `process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });\n`,
    );
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
