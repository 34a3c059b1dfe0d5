/**
 * Golden test: the whole engine (in-process) on every capture of test/fixtures and of the team corpus
 * (../shared/corpus, when present), compared with tshark 4.0's reference output (oracle files): packet and byte
 * totals, frames per protocol, and every TCP/UDP conversation (frames and bytes each way).
 * A difference is either fixed or listed in KNOWN with its reason; a listed difference that no longer occurs
 * fails too, so the table stays honest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles } from '../../src/engine/analyze-files.js';
import { isPcaplensError } from '../../src/shared/errors.js';
import { differences } from './compare.js';
import { readOracle } from './oracle.js';
import { CORPUS_DIR, FIXTURE_DIR, FIXTURE_ORACLE_DIR } from './paths.js';

interface Known {
  file: string;
  /** the start of the difference line: "packets", "proto tcp", "conv_udp", ... */
  aspect: string;
  why: string;
}

const KNOWN: Known[] = [
  {
    file: 'broken-unsupported-linktype-284-dsa.pcap',
    aspect: 'packets',
    why: 'tshark 4.0 refuses the whole file (link type 284 unsupported); we read its 8 records and count them as "other" with an E_LINKTYPE problem',
  },
  { file: 'broken-unsupported-linktype-284-dsa.pcap', aspect: 'bytes', why: 'same 8 records as above' },
  {
    file: 'snmpwalk.pcap',
    aspect: 'conv_udp',
    why: "tshark's SNMP dissector opens its own conversation for the agent's reply (to catch replies from another port), which splits one 4-tuple into udp.stream 0 (the first request) and 1 (the rest); we keep one flow per 4-tuple",
  },
  {
    file: 'ipv6-fragments-mdns.pcap',
    aspect: 'endpoints',
    why: "tshark's IPv6 tap sees a fragmented datagram once, on the frame that completes it (so 2 frames, and only that frame's length); our hosts count every fragment frame and its bytes on the wire",
  },
];

const CAPTURE = /\.(pcap|pcapng|cap)$/;

function captures(): { name: string; path: string; oracle: string }[] {
  const out = new Map<string, { name: string; path: string; oracle: string }>();
  for (const [dir, oracleDir] of [
    [FIXTURE_DIR, FIXTURE_ORACLE_DIR],
    [CORPUS_DIR, join(CORPUS_DIR, 'oracle')],
  ] as const) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const oracle = join(oracleDir, name + '.txt');
      if (!CAPTURE.test(name) || out.has(name) || !existsSync(oracle)) continue;
      out.set(name, { name, path: join(dir, name), oracle });
    }
  }
  return [...out.values()];
}

const all = captures();

test('the golden set is not empty and the known-differences table names real files', () => {
  assert.ok(all.length >= 30, `only ${all.length} captures found`);
  const names = new Set(all.map((c) => c.name));
  for (const k of KNOWN) assert.ok(names.has(k.file) || !existsSync(CORPUS_DIR), `KNOWN names ${k.file}`);
});

for (const c of all) {
  test(`golden: ${c.name}`, async () => {
    const oracle = readOracle(c.oracle);
    let diffs: string[];
    try {
      diffs = differences(await analyzeFiles([c.path]), oracle);
    } catch (e) {
      if (!isPcaplensError(e)) throw e;
      // a capture tshark could not read at all may be refused by us too
      diffs = oracle.packets === 0 && oracle.readErrors.length > 0 ? [] : [`error: ${e.code} ${e.message}`];
    }
    const known = KNOWN.filter((k) => k.file === c.name);
    const unexplained = diffs.filter((d) => !known.some((k) => d.startsWith(k.aspect + ':')));
    const stale = known.filter((k) => !diffs.some((d) => d.startsWith(k.aspect + ':')));
    assert.deepEqual(unexplained, [], 'differences from tshark not in KNOWN');
    assert.deepEqual(
      stale.map((k) => k.aspect),
      [],
      'KNOWN lists differences that no longer occur: remove them',
    );
  });
}
