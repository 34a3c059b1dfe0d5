import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStream } from './io.js';
import { main } from './main.js';
import { queueSettings } from './queue-args.js';

test('--queue needs a ClickHouse store and --jobs needs --queue, for import and serve alike', async () => {
  const ch = 'clickhouse://127.0.0.1:8123/db';
  assert.equal(queueSettings({}, 'import'), null);
  assert.deepEqual(queueSettings({ queue: 'redis://r:6379', store: ch, jobs: '3' }, 'serve'), {
    queue: 'redis://r:6379',
    store: ch,
    jobs: 3,
    queueName: undefined,
  });
  assert.throws(() => queueSettings({ queue: 'redis://r:6379' }, 'serve'), /serve: --queue needs --store/);
  assert.throws(
    () => queueSettings({ jobs: '2', store: ch }, 'import'),
    /import: --jobs .* goes with --queue/,
  );
  assert.throws(() => queueSettings({ queue: 'redis://r', store: ch, jobs: '0' }, 'import'), /--jobs/);
  for (const cmd of ['import', 'serve']) {
    const err = new MemoryStream();
    const args =
      cmd === 'import'
        ? ['import', '--queue', 'redis://r:6379', 'x.pcap']
        : ['serve', '--queue', 'redis://r:6379'];
    assert.notEqual(await main(args, { stdout: new MemoryStream(), stderr: err }), 0);
    assert.match(err.text, new RegExp(`${cmd}: --queue needs --store clickhouse`));
  }
});
