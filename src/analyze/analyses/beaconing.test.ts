import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../config.js';
import { flow } from '../test-support.js';
import { beaconStats, detectBeaconing, mad, median } from './beaconing.js';

const cfg = DEFAULT_CONFIG;
const beacon = (
  n: number,
  period = 60,
  jitter: (i: number) => number = () => 0,
  size: (i: number) => number = () => 600,
) =>
  Array.from({ length: n }, (_, i) =>
    flow({
      src_ip: '192.168.1.23',
      dst_ip: '198.51.100.77',
      dst_port: 8443,
      src_port: 40000 + i,
      at: i * period + jitter(i),
      bytes_fwd: size(i),
      bytes_rev: 300,
    }),
  );

test('median and MAD', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(mad([1, 1, 2, 2, 4, 6, 9]), 1);
});

test('connection count threshold: 5 no, 6 yes, 7 yes', () => {
  assert.equal(detectBeaconing(beacon(5), cfg).length, 0);
  const at = detectBeaconing(beacon(6), cfg);
  assert.equal(at.length, 1);
  assert.equal(at[0]!.evidence['connections'], 6);
  assert.equal(at[0]!.evidence['period_seconds'], 60);
  assert.equal(at[0]!.score, 1);
  assert.match(at[0]!.explanation, /6 times about every 60 s/);
  assert.equal(detectBeaconing(beacon(7), cfg).length, 1);
});

test('period threshold: 4.9 s no, 5 s yes', () => {
  assert.equal(detectBeaconing(beacon(10, 4.9), cfg).length, 0);
  assert.equal(detectBeaconing(beacon(10, 5), cfg).length, 1);
});

test('jitter and size spread lower the score', () => {
  // up to +-6 s of jitter on 60 s: a spread of a few percent lowers the score but it stays a beacon
  const jit = [0, 5, -3, 2, -6, 4, -1, 6, -4, 3, -2, 1];
  const mild = detectBeaconing(
    beacon(12, 60, (i) => jit[i]!),
    cfg,
  );
  assert.equal(mild.length, 1);
  assert.ok(mild[0]!.score < 1 && mild[0]!.score >= 0.8, String(mild[0]!.score));
  // irregular human-like starts: no
  const starts = [0, 7, 95, 130, 400, 410, 900, 1500, 1510, 2600];
  const human = starts.map((t, i) =>
    flow({
      src_ip: '192.168.1.23',
      dst_ip: '198.51.100.77',
      dst_port: 443,
      src_port: 41000 + i,
      at: t,
      bytes_fwd: 500 + i * 997,
    }),
  );
  assert.equal(detectBeaconing(human, cfg).length, 0);
  // perfectly regular times but wildly varying sizes: interval 0.7 + size 0 = 0.7 < 0.8
  const sizes = detectBeaconing(
    beacon(
      12,
      60,
      () => 0,
      (i) => 100 + ((i * 7919) % 50000),
    ),
    cfg,
  );
  assert.equal(sizes.length, 0);
  const st = beaconStats([0, 60, 120, 180], [10, 10, 10, 10], cfg.beaconing);
  assert.equal(st.score, 1);
});

test('multicast destinations are not beacons', () => {
  const m = beacon(10).map((f) => ({ ...f, dst_ip: '224.0.0.251' }));
  assert.equal(detectBeaconing(m, cfg).length, 0);
});

test('subnet-directed broadcasts (group destination MAC) are not beacons', () => {
  const b = beacon(14, 7.1).map((f) => ({ ...f, dst_ip: '172.17.255.255', dst_mac: 'ff:ff:ff:ff:ff:ff' }));
  assert.equal(detectBeaconing(b, cfg).length, 0);
  assert.equal(detectBeaconing(beacon(14, 7.1), cfg).length, 1);
});
