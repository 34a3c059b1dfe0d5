import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commonName,
  parseOnionoo,
  parsePlainTorList,
  parseTorConsensus,
  parseTorList,
  torLikeName,
} from './tor-relays.js';
import { BUNDLED_TOR_DATE, bundledTorRelays, loadTorListFile } from './tor-relays-data.js';

test('bundled snapshot: counts from SOURCE.md, exits flagged, date carried', () => {
  const l = bundledTorRelays()!;
  assert.ok(l);
  // 8,054 relay lines plus exit addresses that are not in the relay list
  assert.ok(l.size >= 8054 && l.size <= 8054 + 1746, `size ${l.size}`);
  assert.equal(l.info.date, BUNDLED_TOR_DATE);
  const m = l.match('1.1.168.51');
  assert.ok(m);
  assert.equal(m.port_matched, null);
  assert.equal(m.date, '2024-02-27');
  assert.equal(l.match('10.1.2.3'), null);
  assert.equal(l.match('8.8.8.8'), null);
});

test('plain list with ports and IPv6 spellings', () => {
  const l = parsePlainTorList(
    '# comment\n192.0.2.10:9001\n[2001:DB8::1]:443\n198.51.100.5\n\nnot-an-ip\n',
    'mine',
    null,
  );
  assert.equal(l.size, 3);
  assert.equal(l.match('192.0.2.10', 9001)!.port_matched, true);
  assert.equal(l.match('192.0.2.10', 443)!.port_matched, false);
  assert.equal(l.match('2001:db8:0:0::1', 443)!.port_matched, true);
  assert.equal(l.match('198.51.100.5', 80)!.port_matched, null);
});

test('consensus document: r/a/s lines, exit flag, valid-after date', () => {
  const doc = [
    'network-status-version 3',
    'vote-status consensus',
    'valid-after 2024-03-01 12:00:00',
    'r relayA AAAAAAAAAAAAAAAAAAAAAAAAAAA BBBBBBBBBBBBBBBBBBBBBBBBBBB 2024-03-01 11:00:00 192.0.2.20 9001 9030',
    'a [2001:db8::20]:9001',
    's Fast Running Stable Valid',
    'r exitB CCCCCCCCCCCCCCCCCCCCCCCCCCC DDDDDDDDDDDDDDDDDDDDDDDDDDD 2024-03-01 11:00:00 192.0.2.21 443 0',
    's Exit Fast Running Valid',
    'r badC EEEEEEEEEEEEEEEEEEEEEEEEEEE FFFFFFFFFFFFFFFFFFFFFFFFFFF 2024-03-01 11:00:00 192.0.2.22 9001 0',
    's BadExit Exit Running',
  ].join('\n');
  const l = parseTorConsensus(doc, 'consensus');
  assert.equal(l.info.date, '2024-03-01');
  assert.equal(l.size, 4);
  assert.deepEqual(
    [
      l.match('192.0.2.20', 9030)!.port_matched,
      l.match('192.0.2.20', 9001)!.exit,
      l.match('192.0.2.20', 80)!.port_matched,
    ],
    [true, false, false],
  );
  assert.equal(l.match('2001:db8::20', 9001)!.port_matched, true);
  assert.equal(l.match('192.0.2.21', 443)!.exit, true);
  assert.equal(l.match('192.0.2.22')!.exit, false);
  assert.equal(parseTorList(doc, 'x').info.format, 'consensus');
});

test('Onionoo details JSON', () => {
  const json = {
    relays_published: '2024-04-02 10:00:00',
    relays: [
      {
        nickname: 'a',
        or_addresses: ['192.0.2.30:9001', '[2001:db8::30]:9001'],
        dir_address: '192.0.2.30:9030',
        flags: ['Running'],
      },
      {
        nickname: 'b',
        or_addresses: ['192.0.2.31:443'],
        exit_addresses: ['192.0.2.99'],
        flags: ['Exit', 'Running'],
      },
      'junk',
    ],
  };
  const l = parseOnionoo(json, 'onionoo');
  assert.equal(l.info.date, '2024-04-02');
  assert.equal(l.size, 4);
  assert.equal(l.match('192.0.2.30', 9030)!.port_matched, true);
  assert.equal(l.match('192.0.2.99')!.exit, true);
  assert.equal(parseTorList(JSON.stringify(json), 'x').info.format, 'onionoo');
});

test('user list file: formats detected, empty list refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-tor-'));
  try {
    const f = join(dir, 'relays.txt');
    writeFileSync(f, '203.0.113.9\n');
    assert.ok(loadTorListFile(f).match('203.0.113.9'));
    const e = join(dir, 'empty.txt');
    writeFileSync(e, '# nothing\n');
    assert.throws(() => loadTorListFile(e), { code: 'E_USAGE' });
    assert.throws(() => loadTorListFile(join(dir, 'absent')), { code: 'E_NOT_FOUND' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Tor-like names: random base32 www names vs real sites', () => {
  assert.equal(torLikeName('www.q4xvzk7mjd2p.com'), true);
  assert.equal(torLikeName('www.lbcmnfhtwqxk.net'), true);
  assert.equal(torLikeName('www.q4xvzk7mjd2p.com', 'net'), false);
  assert.equal(torLikeName('www.google.com'), false);
  assert.equal(torLikeName('www.wikipedia.org'), false);
  assert.equal(torLikeName('www.microsoft.com'), false);
  assert.equal(torLikeName('www.facebook.com'), false);
  assert.equal(torLikeName('mail.q4xvzk7mjd2p.com'), false);
  assert.equal(torLikeName(null), false);
  assert.equal(commonName('C=US, O=x, CN=www.abc.net'), 'www.abc.net');
  assert.equal(commonName('/CN=www.abc.com/O=x'), 'www.abc.com');
  assert.equal(commonName('O=none'), null);
});

test('IPv4 matches follow the list as it changes; spellings that are not a plain dotted quad still match', () => {
  const l = parsePlainTorList('192.0.2.10\n203.0.113.7:9001\n', 'mine', null);
  assert.equal(l.match('192.0.2.10')!.exit, false);
  assert.equal(l.match('192.0.2.11'), null);
  // an address between, below and above the listed ones
  assert.equal(l.match('192.0.2.9'), null);
  assert.equal(l.match('0.0.0.0'), null);
  assert.equal(l.match('255.255.255.255'), null);
  // added after a match: found, and the exit flag of an address added again is seen
  l.add('192.0.2.11', null, false);
  assert.ok(l.match('192.0.2.11'));
  l.add('192.0.2.10', null, true);
  assert.equal(l.match('192.0.2.10')!.exit, true);
  // merged in from another list
  l.merge(parsePlainTorList('198.51.100.1\n', 'exits', null, true));
  assert.equal(l.match('198.51.100.1')!.exit, true);
  // padded or IPv4-mapped text takes the canonical key
  assert.equal(l.match(' 203.0.113.7 ', 9001)!.port_matched, true);
  assert.equal(l.match('::ffff:203.0.113.7', 80)!.port_matched, false);
});
