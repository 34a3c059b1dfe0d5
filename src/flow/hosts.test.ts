import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetLayer } from '../dissect/dissector.js';
import { HostTable } from './hosts.js';

/** IPv4 layer 10.0.<s >> 8>.<s & 255> -> 10.1.0.1 */
function layer(s: number): NetLayer {
  const l = new NetLayer();
  l.version = 4;
  l.src4 = ((10 << 24) | s) >>> 0;
  l.dst4 = ((10 << 24) | (1 << 16) | 1) >>> 0;
  return l;
}

test('hosts: TTL min/max per sender; unset TTL (0) ignored; null when never noted', () => {
  const t = new HostTable();
  const l = layer(1);
  const src = t.ip(l, 0, 1, 0);
  const dst = t.ip(l, 1, 1, 0);
  for (const ttl of [0, 57, 64, 52, 0]) src.noteTtl(ttl);
  const rows = t.rows();
  assert.deepEqual(
    rows.map((r) => [r.ip, r.ttl_min, r.ttl_max]),
    [
      ['10.0.0.1', 52, 64],
      ['10.1.0.1', null, null],
    ],
  );
  assert.equal(dst.ttlMax, 0);
});

test('hosts: maxHosts evicts the quietest quarter (earliest first), keeps busy and just-found hosts, counts it', () => {
  const t = new HostTable(8);
  const busy = t.ip(layer(1), 0, 1, 0); // 10.0.0.1
  busy.packetsSent = 100;
  for (let i = 2; i <= 8; i++) {
    const h = t.ip(layer(i), 0, i, 0);
    h.packetsSent = i === 5 ? 0 : 1;
  }
  assert.equal(t.size, 8);
  // the 9th address: 2 of 8 go, the one with 0 packets (10.0.0.5) first, then the earliest 1-packet one (.2)
  t.ip(layer(9), 0, 9, 0);
  assert.equal(t.evicted, 2);
  const ips = t.rows().map((r) => r.ip);
  assert.deepEqual(ips, ['10.0.0.1', '10.0.0.3', '10.0.0.4', '10.0.0.6', '10.0.0.7', '10.0.0.8', '10.0.0.9']);
  // an evicted address comes back as a new entry; a kept one is found again
  const again = t.ip(layer(2), 0, 10, 0);
  assert.equal(again.packetsSent, 0);
  assert.equal(t.ip(layer(1), 0, 11, 0), busy);
  // 10M spoofed sources stay within the bound
  const big = new HostTable(1000);
  for (let i = 0; i < 20000; i++) big.ip(layer(i + 1), 0, i, 0).packetsSent = 1;
  assert.ok(big.size <= 1000);
  assert.equal(big.size + big.evicted, 20000);
});

test('hosts: the host just returned is not evicted while the next one is found', () => {
  const t = new HostTable(4);
  for (let i = 1; i <= 4; i++) t.ip(layer(i), 0, i, 0).packetsSent = 5;
  t.ip(layer(50), 0, 5, 0); // evicts 10.0.0.1; the new host has 0 packets
  const l = layer(60);
  const src = t.ip(l, 0, 6, 0); // table full again: the next find evicts
  assert.equal(t.size, 4);
  t.ip(l, 1, 6, 0); // destination 10.1.0.1 is new: eviction must keep `src` though it has 0 packets
  assert.deepEqual(
    t.rows().map((r) => r.ip),
    ['10.0.0.3', '10.0.0.4', '10.0.0.60', '10.1.0.1'],
  );
  assert.equal(t.ip(l, 0, 7, 0), src);
});
