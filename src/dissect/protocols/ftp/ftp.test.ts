import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand, parseEprt, parseEpsv, parseHostPort, parseReply } from './decode.js';
import { LineSplitter } from './lines.js';

test('FTP commands and replies (ftp-login-ipv4.pcap lines)', () => {
  assert.deepEqual(parseCommand('USER anonymous'), { verb: 'USER', arg: 'anonymous' });
  assert.deepEqual(parseCommand('PASV'), { verb: 'PASV', arg: '' });
  assert.deepEqual(parseReply('230 Login successful.'), {
    code: 230,
    text: 'Login successful.',
    more: false,
  });
  assert.deepEqual(parseReply('220-FTP server ready'), { code: 220, text: 'FTP server ready', more: true });
  assert.equal(parseReply('hello'), null);
});

test('data connection addresses: PORT, 227, EPRT, 229', () => {
  assert.deepEqual(parseHostPort('192,168,1,2,7,138'), { ip: '192.168.1.2', port: 1930 });
  assert.deepEqual(parseHostPort('Entering Passive Mode (10,0,0,5,195,80).'), {
    ip: '10.0.0.5',
    port: 50000,
  });
  assert.equal(parseHostPort('1,2,3,999,1,1'), null);
  assert.deepEqual(parseEprt('|1|132.235.1.2|6275|'), { ip: '132.235.1.2', port: 6275 });
  assert.deepEqual(parseEprt('|2|1080::8:800:200C:417A|5282|'), { ip: '1080::8:800:200C:417A', port: 5282 });
  assert.equal(parseEprt('|3|x|1|'), null);
  assert.deepEqual(parseEpsv('Entering Extended Passive Mode (|||6446|)'), { ip: null, port: 6446 });
  assert.equal(parseEpsv('Entering Extended Passive Mode (|||99999|)'), null);
});

test('line splitter: CRLF and LF, split across pushes, bounded lines', () => {
  const lines: [string, boolean][] = [];
  const s = new LineSplitter((l, cut) => lines.push([l, cut]), 8);
  const enc = new TextEncoder();
  s.push(enc.encode('USER a'));
  s.push(enc.encode('b\r\nPASS x\nAAAAAAAAAAAAAAAAAAAA\r\nok\n'));
  assert.deepEqual(lines, [
    ['USER ab', false],
    ['PASS x', false],
    ['AAAAAAAA', true],
    ['ok', false],
  ]);
});
