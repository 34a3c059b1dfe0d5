import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DnsRow } from '../../../shared/app-rows.js';
import type { FlowState } from '../../flow-state.js';
import { Endpoints } from './base.js';
import { DnsFlow } from './dns-flow.js';

/** an IPv4 flow 10.0.0.1:5353 -> 10.0.0.2:53, as far as Endpoints reads it */
const flow = {
  srcPort: 5353,
  dstPort: 53,
  ver: 4,
  addrInto(which: 0 | 1, out: Uint32Array) {
    out.fill(0);
    out[3] = which === 0 ? 0x0a000001 : 0x0a000002;
  },
} as unknown as FlowState;

/** a query (qr 0) or response (qr 1) for a.b with transaction id */
function dns(id: number, qr: boolean): Uint8Array {
  return new Uint8Array([
    ...[id >> 8, id & 255, qr ? 0x81 : 0x01, qr ? 0x80 : 0, 0, 1, 0, qr ? 1 : 0, 0, 0, 0, 0],
    ...[1, 0x61, 1, 0x62, 0, 0, 1, 0, 1],
    ...(qr ? [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 10, 0, 0, id & 255] : []),
  ]);
}

function run(steps: [number, boolean][]): { rows: DnsRow[]; flow: DnsFlow } {
  const rows: DnsRow[] = [];
  const f = new DnsFlow(7, new Endpoints(flow), 'dns', 'udp', (r) => rows.push(r));
  steps.forEach(([id, qr], i) => {
    const b = dns(id, qr);
    f.message(qr ? 1 : 0, b, 0, b.length, i + 1, 100 + i, 0);
  });
  return { rows, flow: f };
}

const show = (rows: DnsRow[]): string[] =>
  rows.map((r) => `${r.trans_id} q${r.packet}${r.has_response ? ` a${r.answers.join()} rtt${r.rtt}` : ''}`);

test('DnsFlow: answers pair with their queries in any order; the rest go out oldest first at close', () => {
  const { rows, flow: f } = run([
    [1, false],
    [2, false],
    [3, false],
    [2, true],
    [1, true],
    [4, false],
    [9, true], // unsolicited: a row of its own
    [5, false],
  ]);
  assert.equal(f.idle(), false);
  f.close();
  assert.equal(f.idle(), true);
  assert.deepEqual(show(rows), [
    '2 q2 aa.b A 10.0.0.2 rtt2',
    '1 q1 aa.b A 10.0.0.1 rtt4',
    '9 q7 aa.b A 10.0.0.9 rttnull',
    '3 q3',
    '4 q6',
    '5 q8',
  ]);
  assert.deepEqual(
    [rows[0]!.client_ip, rows[0]!.server_ip, rows[0]!.server_port],
    ['10.0.0.1', '10.0.0.2', 53],
  );
});

test('DnsFlow: a repeated query id sends the first out unanswered; past 256 waiting the oldest goes', () => {
  const steps: [number, boolean][] = [
    [1, false],
    [1, false],
    [1, true],
  ];
  assert.deepEqual(show(run(steps).rows), ['1 q1', '1 q2 aa.b A 10.0.0.1 rtt1']);
  const many: [number, boolean][] = [];
  for (let id = 0; id < 258; id++) many.push([id, false]);
  const { rows, flow: f } = run(many);
  assert.deepEqual(show(rows), ['0 q1', '1 q2']);
  assert.equal(f.idle(), false);
  rows.length = 0;
  f.close();
  assert.equal(rows.length, 256);
  assert.equal(rows[0]!.trans_id, 2);
  assert.equal(rows[255]!.trans_id, 257);
});

test('DnsFlow: idle once every query is answered', () => {
  const { flow: f } = run([
    [1, false],
    [2, false],
    [1, true],
  ]);
  assert.equal(f.idle(), false);
  const b = dns(2, true);
  f.message(1, b, 0, b.length, 9, 200, 0);
  assert.equal(f.idle(), true);
});

test('DnsFlow: rows with the same question or answer texts share one list; other texts get their own', () => {
  const { rows } = run([
    [1, false],
    [1, true],
    [1, false],
    [1, true],
    [2, false],
    [2, true],
  ]);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0]!.answers, ['a.b A 10.0.0.1']);
  assert.equal(rows[1]!.answers, rows[0]!.answers);
  assert.deepEqual(rows[2]!.answers, ['a.b A 10.0.0.2']);
  assert.notEqual(rows[2]!.answers, rows[0]!.answers);
  assert.deepEqual(rows[0]!.questions, ['a.b A']);
  assert.equal(rows[2]!.questions, rows[0]!.questions);
});
