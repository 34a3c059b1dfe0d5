import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseOracle, readOracle, splitEndpoint } from './oracle.js';
import { CORPUS_DIR, FIXTURE_ORACLE_DIR } from './paths.js';

test('splitEndpoint: IPv4, bracketed IPv6, bare address', () => {
  assert.deepEqual(splitEndpoint('10.0.0.1:53'), ['10.0.0.1', 53]);
  assert.deepEqual(splitEndpoint('[fe80::1]:5353'), ['fe80::1', 5353]);
  assert.deepEqual(splitEndpoint('fe80::1'), ['fe80::1', null]);
});

test('parses a small oracle text: summary, protocols, conversations', () => {
  const o = parseOracle(
    [
      '# pcap-oracle format 1',
      '# file: x.pcap',
      '',
      '[summary]',
      'packets\t3',
      'tshark_read_error\tnone',
      'bytes_on_wire_total\t300',
      'bytes_captured_total\t200',
      '[protocol_frames]',
      '# comment',
      'eth\t3',
      '[protocol_frames_extra]',
      'vlan\t2',
      '[conv_udp]',
      '[2001:db8::1]:53\t[2001:db8::2]:1000\t1\t100\t2\t~1kB\t0.0\t1.5',
      '',
    ].join('\n'),
  );
  assert.equal(o.header.file, 'x.pcap');
  assert.equal(o.packets, 3);
  assert.deepEqual(o.readErrors, []);
  assert.equal(o.bytesCaptured, 200);
  assert.deepEqual(o.protocolFrames, { eth: 3, vlan: 2 });
  assert.deepEqual(o.convUdp, [
    {
      a: '2001:db8::1',
      b: '2001:db8::2',
      aPort: 53,
      bPort: 1000,
      framesAB: 1,
      bytesAB: 100,
      framesBA: 2,
      bytesBA: null,
      relStart: 0,
      duration: 1.5,
    },
  ]);
  assert.throws(() => parseOracle('[summary]\npackets\tmany\n'), /bad number/);
});

test('every oracle file we ship parses, and its conversation totals agree with its endpoints', () => {
  const dirs = [FIXTURE_ORACLE_DIR, CORPUS_DIR + 'oracle'].filter((d) => existsSync(d));
  let n = 0;
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
      const o = readOracle(join(dir, f));
      n++;
      assert.equal(o.header.file + '.txt', f);
      // each IPv4 address's endpoint frame count is the sum over its ipv4 conversations
      for (const ep of o.endpointsIpv4) {
        let frames = 0;
        // a host talking to itself is counted once as sender and once as receiver
        for (const c of o.convIpv4) {
          if (c.a === ep.address) frames += c.framesAB + c.framesBA;
          if (c.b === ep.address) frames += c.framesAB + c.framesBA;
        }
        assert.equal(frames, ep.frames, `${f} ${ep.address}`);
      }
    }
  }
  assert.ok(n > 0);
});
