import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSnmp, oidText, snmpCommunityKey } from './decode.js';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(Buffer.from(s.replace(/#.*$/gm, '').replace(/[^0-9a-f]/gi, ''), 'hex'));

// snmpwalk.pcap (zeek, BSD) frame 1: v2c get-next of 1.3.6.1.2.1 with community "public"
const GETNEXT = hex(`
  3026                  # SEQUENCE, 38 bytes
  020101                # version 1 = v2c
  04067075626c6963      # community "public"
  a119                  # GetNextRequest-PDU
    020409584e45        # request-id 0x09584e45
    020100 020100       # error-status 0, error-index 0
    300b 3009 06052b06010201 0500   # varbind 1.3.6.1.2.1 = NULL
`);

test('SNMP v2c get-next (snmpwalk.pcap frame 1)', () => {
  const m = decodeSnmp(GETNEXT, 0, GETNEXT.length)!;
  assert.equal(m.versionText, 'v2c');
  assert.equal(m.community, 'public');
  assert.equal(m.pdu, 'getnext');
  assert.equal(m.requestId, 0x09584e45);
  assert.deepEqual(m.oids, ['1.3.6.1.2.1']);
});

test('OIDs with multi-byte arcs; hostile BER never throws', () => {
  const o = hex('2a864886f70d010101');
  assert.equal(oidText(o, 0, o.length), '1.2.840.113549.1.1.1');
  for (let n = 0; n <= GETNEXT.length; n++) decodeSnmp(GETNEXT, 0, n);
  const huge = hex('3084ffffffff020101');
  assert.equal(decodeSnmp(huge, 0, huge.length), null);
  let seed = 9;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
  for (let k = 0; k < 500; k++) {
    const b = GETNEXT.slice();
    b[rnd() % b.length] = rnd();
    decodeSnmp(b, 0, b.length);
  }
});

test('snmpCommunityKey: "version community" exactly when decodeSnmp gives a community, on mutated messages', () => {
  assert.equal(snmpCommunityKey(GETNEXT, 0, GETNEXT.length), '1 public');
  let seed = 5;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 255;
  let keys = 0;
  for (let k = 0; k < 3000; k++) {
    const b = GETNEXT.slice();
    // one header byte (sequence, version, community TLV) changed, or none
    if (rnd() % 2 === 0) b[rnd() % 14] = rnd() % 2 === 0 ? rnd() : rnd() % 5;
    const end = rnd() % 4 === 0 ? rnd() % b.length : b.length;
    const m = decodeSnmp(b, 0, end);
    const want = m && m.community !== null ? `${m.version} ${m.community}` : null;
    assert.equal(snmpCommunityKey(b, 0, end), want);
    if (want !== null) keys++;
  }
  assert.ok(keys > 100);
});
