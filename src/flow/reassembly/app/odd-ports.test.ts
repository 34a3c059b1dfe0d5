/**
 * Application protocols on ports no table names them by: the flow layer's content tests classify the flow
 * (app_source heuristic), a bound port whose content agrees says port+heuristic, and the application layer
 * then parses the flow as usual. Captures built in memory with test/hostile/capture-builder.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PcapWriter,
  concat,
  dns,
  ether,
  httpRequest,
  httpResponse,
  ipv4,
  latin1,
  tcp,
  tcpConversation,
  tlsClientHello,
  udpFrame,
  ACK,
  PSH,
} from '../../../../test/hostile/capture-builder.js';
import { analyzeBytes } from '../../../../test/hostile/analyze-bytes.js';
import { openCapture } from '../../../wire/open.js';
import { READ_NEED_MORE, READ_RECORD } from '../../../wire/reader.js';
import { PacketRecord } from '../../../wire/record.js';
import { MemorySource } from '../../../wire/test-support/memory-source.js';
import { Analysis } from '../../analysis.js';
import type { FlowRow } from '../../../shared/rows.js';

const A = (ip: number[]): Uint8Array => new Uint8Array(ip);
const PTR_12 = new Uint8Array([0xc0, 0x0c]);

function dnsPair(id: number, name: string, addr: number[]): [Uint8Array, Uint8Array] {
  return [
    dns({ id, qname: name }),
    dns({ id, qname: name, response: true, answers: [{ name: PTR_12, type: 1, rdata: A(addr) }] }),
  ];
}

/** TCP DNS: each message behind its two-byte length (RFC 1035 section 4.2.2). */
function framed(m: Uint8Array): Uint8Array {
  return concat(new Uint8Array([m.length >> 8, m.length & 0xff]), m);
}

function capture(): Uint8Array {
  const w = new PcapWriter();
  let ts = 1_700_000_000;
  const add = (f: Uint8Array): void => void w.add(f, { ts: (ts += 0.001) });
  // 1: DNS on UDP 31337
  const [q1, r1] = dnsPair(0x0101, 'odd.example.org', [192, 0, 2, 1]);
  add(udpFrame('10.0.0.1', '10.0.0.2', 40001, 31337, q1));
  add(udpFrame('10.0.0.2', '10.0.0.1', 31337, 40001, r1));
  // 2: DNS on UDP 40000
  const [q2, r2] = dnsPair(0x0202, 'forty.example.net', [192, 0, 2, 2]);
  add(udpFrame('10.0.0.1', '10.0.0.3', 50000, 40000, q2));
  add(udpFrame('10.0.0.3', '10.0.0.1', 40000, 50000, r2));
  // 3: unicast DNS to UDP 5353: the port is mDNS's (as tshark has it), the content agrees
  const [q3, r3] = dnsPair(0x0303, 'printer.local', [10, 0, 0, 9]);
  add(udpFrame('10.0.0.1', '10.0.0.9', 50001, 5353, q3));
  add(udpFrame('10.0.0.9', '10.0.0.1', 5353, 50001, r3));
  // 4: DNS over TCP on 40000
  const [q4, r4] = dnsPair(0x0404, 'tcp.example.com', [192, 0, 2, 4]);
  for (const f of tcpConversation('10.0.0.1', '10.0.0.4', 50002, 40000, [
    { fromClient: true, data: framed(q4) },
    { fromClient: false, data: framed(r4) },
  ]))
    add(f);
  // 5: HTTP on 31337
  for (const f of tcpConversation('10.0.0.1', '10.0.0.5', 50003, 31337, [
    { fromClient: true, data: httpRequest('GET', '/elite.txt', [['Host', 'leet.example']]) },
    { fromClient: false, data: httpResponse(200, [['Content-Length', '2']], latin1('ok')) },
  ]))
    add(f);
  // 6: TLS on 8443 (a TLS port) and 7: on 40443 (none)
  for (const f of tcpConversation('10.0.0.1', '10.0.0.6', 50004, 8443, [
    { fromClient: true, data: tlsClientHello('alt.example.com') },
  ]))
    add(f);
  for (const f of tcpConversation('10.0.0.1', '10.0.0.7', 50005, 40443, [
    { fromClient: true, data: tlsClientHello('hidden.example.com') },
  ]))
    add(f);
  // 8: not DNS on odd UDP ports: a DNS query with one byte too many, random-looking bytes, an NTP client packet
  add(udpFrame('10.0.0.1', '10.0.0.8', 50006, 40000, concat(q1, new Uint8Array([0]))));
  add(
    udpFrame(
      '10.0.0.1',
      '10.0.0.8',
      50007,
      40000,
      latin1('\x8a\x13\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00junkjunk'),
    ),
  );
  const ntp = new Uint8Array(48);
  ntp[0] = 0x23;
  add(udpFrame('10.0.0.1', '10.0.0.8', 50008, 40123, ntp));
  // 9: a TCP segment to an odd port whose first payload is not DNS, HTTP or TLS
  add(
    ether(
      ipv4({
        src: '10.0.0.1',
        dst: '10.0.0.8',
        proto: 6,
        payload: tcp(50009, 40000, 1, 1, ACK | PSH, latin1('hello there')),
      }),
    ),
  );
  return w.bytes();
}

async function flowsOnly(bytes: Uint8Array): Promise<FlowRow[]> {
  const a = new Analysis({ fileNames: ['odd.pcap'] });
  const r = await openCapture(new MemorySource(bytes, 'odd.pcap'));
  const rec = new PacketRecord();
  for (;;) {
    const s = r.read(rec);
    if (s === READ_RECORD) a.addPacket(rec);
    else if (s === READ_NEED_MORE) await r.fill();
    else break;
  }
  await r.close();
  return a.finish().flows;
}

test('DNS, HTTP and TLS on odd ports are recognised by content; the flow rows are the same without the app layer', async () => {
  const bytes = capture();
  const { result, rows } = await analyzeBytes(bytes);
  const apps = result.flows.map((f) => [f.proto, f.dst_port, f.app, f.app_source]);
  assert.deepEqual(apps, [
    ['udp', 31337, 'dns', 'heuristic'],
    ['udp', 40000, 'dns', 'heuristic'],
    ['udp', 5353, 'mdns', 'port+heuristic'],
    ['tcp', 40000, 'dns', 'heuristic'],
    ['tcp', 31337, 'http', 'heuristic'],
    ['tcp', 8443, 'tls', 'port+heuristic'],
    ['tcp', 40443, 'tls', 'heuristic'],
    ['udp', 40000, null, null],
    ['udp', 40000, null, null],
    ['udp', 40123, null, null],
    ['tcp', 40000, null, null],
  ]);
  assert.deepEqual(await flowsOnly(bytes), result.flows);

  // the application layer parsed what the flow layer classified
  assert.deepEqual(
    rows.dns.map((r) => [r.flow_id, r.proto, r.transport, r.query_name, r.answers]),
    [
      [1, 'dns', 'udp', 'odd.example.org', ['odd.example.org A 192.0.2.1']],
      [2, 'dns', 'udp', 'forty.example.net', ['forty.example.net A 192.0.2.2']],
      [3, 'mdns', 'udp', 'printer.local', ['printer.local A 10.0.0.9']],
      [4, 'dns', 'tcp', 'tcp.example.com', ['tcp.example.com A 192.0.2.4']],
    ],
  );
  assert.deepEqual(
    rows.http.map((r) => [r.flow_id, r.host, r.uri, r.status]),
    [[5, 'leet.example', '/elite.txt', 200]],
  );
  assert.deepEqual(
    rows.tls.map((r) => [r.flow_id, r.server_name]),
    [
      [6, 'alt.example.com'],
      [7, 'hidden.example.com'],
    ],
  );
});
