/**
 * Test helper run as a child process by interrupted.test.ts: imports a capture into the store named on
 * the command line and, half-way through, says so and hangs until it is killed.
 */
import { openStore } from './open.js';
import { syntheticCapture } from './test-data.js';

const [spec, dataDir, mode] = process.argv.slice(2);
const store = await openStore(spec === '-' ? undefined : spec, dataDir!);
const cap = syntheticCapture(200, 3);
const meta = {
  name: mode!,
  sha256: (mode === 'first' ? 'a1' : 'b2').repeat(32),
  size: 1,
  format: 'pcap',
  link_types: [1],
};
await store.importCapture(meta, async (w) => {
  await w.write('packets', cap.packets);
  await w.write('flows', cap.flows);
  if (mode === 'first') return { packets: cap.packets.length, bytes: 0, first_ts: null, last_ts: null };
  process.stdout.write('half-way\n');
  await new Promise(() => {}); // killed here
  return { packets: 0, bytes: 0, first_ts: null, last_ts: null };
});
await store.close();
process.stdout.write('done\n');
