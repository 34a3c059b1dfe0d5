import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlainTorList } from '../../enrich/tor-relays.js';
import { resolveConfig } from '../config.js';
import { flow } from '../test-support.js';
import { detectTor, staleTorMatch } from './tor.js';

const cfg = resolveConfig();
const DATE = '2024-02-27';

function relayFlow(firstTs: string) {
  return flow({ id: 1, dst_ip: '198.51.100.20', dst_port: 9001, first_ts: firstTs, last_ts: firstTs });
}

test('tor_relay: a match names the list date and the capture time; near the list it stays medium', () => {
  const list = parsePlainTorList('198.51.100.20:9001\n', 'snapshot', DATE);
  const [a] = detectTor({ flows: [relayFlow('2024-03-01T10:00:00.000000Z')], tor: list }, cfg);
  assert.equal(a!.severity, 'medium');
  assert.equal(a!.score, 1);
  assert.equal(a!.evidence['days_from_list'], 3);
  assert.equal(a!.evidence['stale_list'], false);
  assert.equal(a!.evidence['capture_ts'], '2024-03-01T10:00:00.000000Z');
  assert.match(a!.explanation, /list "snapshot" of 2024-02-27 \(1 flow\) \(capture 2024-03-01\)\.$/);
});

test('tor_relay: a bundled list far from the capture (either side) is weaker: low, half score, says why', () => {
  const list = parsePlainTorList('198.51.100.20:9001\n', 'snapshot', DATE);
  // tls12-sni-sct.pcap: a 2017 capture against the 2024 snapshot
  const [old] = detectTor({ flows: [relayFlow('2017-03-12T08:00:00.000000Z')], tor: list }, cfg);
  assert.equal(old!.severity, 'low');
  assert.equal(old!.score, 0.5);
  assert.equal(old!.evidence['stale_list'], true);
  assert.equal(old!.evidence['days_from_list'], 2542);
  assert.match(
    old!.explanation,
    /the capture \(2017-03-12\) is 2542 days from the list's date, so 198\.51\.100\.20 may not have run a relay then\.$/,
  );
  // the threshold: 90 days is still current, 91 is not
  const at = (ts: string) => detectTor({ flows: [relayFlow(ts)], tor: list }, cfg)[0]!.severity;
  assert.equal(at('2024-05-27T00:00:00.000000Z'), 'medium'); // 90 days after
  assert.equal(at('2024-05-28T00:00:00.000000Z'), 'low'); // 91
  assert.equal(at('2023-11-29T00:00:00.000000Z'), 'medium'); // 90 days before
  assert.equal(at('2023-11-28T00:00:00.000000Z'), 'low');
  // a wider threshold from the config
  const wide = resolveConfig({ tor: { listMaxAgeDays: 4000 } });
  assert.equal(
    detectTor({ flows: [relayFlow('2017-03-12T08:00:00.000000Z')], tor: list }, wide)[0]!.severity,
    'medium',
  );
  // an undated list cannot be placed in time
  const undated = parsePlainTorList('198.51.100.20\n', 'mine', null);
  const [u] = detectTor({ flows: [relayFlow('2024-03-01T00:00:00.000000Z')], tor: undated }, cfg);
  assert.equal(u!.severity, 'low');
  assert.match(u!.explanation, /\(undated\)/);
});

test('tor_relay: a list the user gave for the capture (--tor-relays) is authoritative, whatever its date', () => {
  const list = parsePlainTorList('198.51.100.20\n', 'relays-2017.txt', null);
  list.info.authoritative = true;
  const [a] = detectTor({ flows: [relayFlow('2017-03-12T08:00:00.000000Z')], tor: list }, cfg);
  assert.equal(a!.severity, 'medium');
  assert.equal(a!.score, 1);
  assert.equal(a!.evidence['list_authoritative'], true);
  assert.match(a!.explanation, /list given for this capture/);
  const m = list.match('198.51.100.20')!;
  assert.equal(staleTorMatch(m, '2001-01-01T00:00:00Z', 90), false);
  assert.equal(staleTorMatch({ ...m, authoritative: false, date: DATE }, '2001-01-01T00:00:00Z', 90), true);
});
