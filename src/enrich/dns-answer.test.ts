import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDnsAnswer } from './dns-answer.js';

test('parseDnsAnswer: owner TYPE value as the app layer writes it (corpus shapes)', () => {
  // dns-many-types.pcap / mdns.pcap / pcapxray-sample-mixed.pcap answers
  assert.deepEqual(parseDnsAnswer('www.google.com A 173.194.112.19'), {
    owner: 'www.google.com',
    type: 'A',
    value: '173.194.112.19',
  });
  assert.deepEqual(
    parseDnsAnswer('gstaticadssl.l.google.com A 172.217.12.131')?.owner,
    'gstaticadssl.l.google.com',
  );
  assert.deepEqual(parseDnsAnswer('2.0.0.10.in-addr.arpa PTR Yaels-iPhone.local'), {
    owner: '2.0.0.10.in-addr.arpa',
    type: 'PTR',
    value: 'Yaels-iPhone.local',
  });
  assert.deepEqual(parseDnsAnswer('x.example MX 10 mail.example'), {
    owner: 'x.example',
    type: 'MX',
    value: '10 mail.example',
  });
  assert.deepEqual(parseDnsAnswer('x.example TYPE65280'), {
    owner: 'x.example',
    type: 'TYPE65280',
    value: '',
  });
});

test('parseDnsAnswer: owners with spaces (NetBIOS), upper-case owners, and text that is no answer', () => {
  assert.deepEqual(parseDnsAnswer('MY PC<20> NB 10.0.0.5'), {
    owner: 'MY PC<20>',
    type: 'NB',
    value: '10.0.0.5',
  });
  assert.deepEqual(parseDnsAnswer('WPAD NB 10.0.0.9')?.owner, 'WPAD');
  // the old short form has no owner: not an answer
  assert.equal(parseDnsAnswer('A 192.0.2.1'), null);
  assert.equal(parseDnsAnswer('nospace'), null);
  assert.equal(parseDnsAnswer(''), null);
  // a hostile run of tokens without a type stops after a bounded scan
  assert.equal(parseDnsAnswer('x '.repeat(10000)), null);
});
