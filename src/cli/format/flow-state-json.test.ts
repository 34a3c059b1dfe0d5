import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles } from '../../engine/analyze-files.js';
import { FlowKey } from '../../flow/flow-key.js';
import { FLOW_WORDS, FlowState } from '../../flow/flow-state.js';
import { flowRow } from '../../flow/flow-row.js';
import { CORPUS_DIR, FIXTURE_DIR } from '../../../test/golden/paths.js';
import { ByteSink } from './byte-sink.js';
import { writeFlowJson } from './flow-json.js';
import { writeFlowStateJson } from './flow-state-json.js';

const direct = new ByteSink(256);
const viaRow = new ByteSink(256);

/** Both writers' bytes for one flow, as text (latin1: a byte is a character, so any difference shows). */
function both(f: FlowState): [string, string] {
  writeFlowStateJson(direct, f);
  assert.ok(writeFlowJson(viaRow, flowRow(f), false));
  const a = direct.buf.toString('latin1', 0, direct.pos);
  const b = viaRow.buf.toString('latin1', 0, viaRow.pos);
  direct.pos = viaRow.pos = 0;
  return [a, b];
}

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(n))
    .map((n) => join(dir, n));
}

test('flow state JSON: the same bytes as the flow row written by writeFlowJson, every flow of every capture', async () => {
  let flows = 0;
  const kinds = new Set<string>();
  for (const path of [...captures(FIXTURE_DIR), ...captures(CORPUS_DIR)]) {
    await analyzeFiles([path], {
      hosts: false,
      app: false,
      onFlowState: (f) => {
        const [a, b] = both(f);
        if (a !== b) assert.equal(a, b, path);
        flows++;
        kinds.add(`${flowRow(f).proto}/${f.ver}`);
      },
    }).catch(() => undefined); // a capture that cannot be read at all has no flows to compare
  }
  assert.ok(flows > 1000, `${flows} flows`);
  // IPv4 and IPv6 transport flows, ICMP, other IP protocols and link-layer conversations were all compared
  for (const k of ['tcp/4', 'udp/6', 'icmp/4', 'icmpv6/6', 'arp/0'])
    assert.ok(kinds.has(k), `no ${k} flow in ${[...kinds].join(' ')}`);
});

test('flow state JSON: times off the fast path, odd MACs, VLANs and large counters', () => {
  const key = new FlowKey();
  const f = new FlowState(1, key);
  const words = new Float64Array(FLOW_WORDS);
  const names = ['http', 'port'];
  f.saveTo(words, 0, (s) => (s === null ? -1 : names.indexOf(s)));
  const cases: [number, number, number, number][] = [
    [1_700_000_000, 123_456_789, 1_700_000_100, 1000], // nanosecond digits, then whole microseconds
    [0, 0, 0, 999_999_999], // the epoch itself
    [-5, 0, 3, 0], // before 1970: isoTime's slow path
    [253_402_300_800, 0, 253_402_300_801, 5], // past year 9999: the slow path too
    [1.5, 0, 2, 0], // not whole seconds
  ];
  for (const [fs, fn, ls, ln] of cases) {
    words[15] = fs;
    words[16] = fn;
    words[17] = ls;
    words[18] = ln;
    words[8] = 0xffff; // both MACs' high 16 bits
    words[9] = 0xffffffff;
    words[10] = 0;
    words[11] = 2 ** 40;
    words[13] = Number.MAX_SAFE_INTEGER;
    words[21] = 0;
    words[22] = 1;
    f.loadFrom(words, 0, names);
    f.id = 42;
    f.vlan = 4094;
    const [a, b] = both(f);
    assert.equal(a, b);
  }
});
