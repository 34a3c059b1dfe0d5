import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextEvent } from '../ftp/text-events.js';
import { TelnetSession } from './session.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Feeds [dir, text] pieces (dir 0 client, 1 server) and returns the credentials found. */
function run(pieces: [0 | 1, string][]): string[] {
  const out: string[] = [];
  const t = new TelnetSession((e: TextEvent) => {
    if (e.type === 'credential') out.push(`${e.username ?? '-'}/${e.password ?? '-'}`);
  }, 0);
  for (const [dir, s] of pieces) t.data(dir, bytes(s));
  return out;
}

test('telnet: login and password prompts (IAC negotiation, case, blanks after the colon, keystrokes one by one)', () => {
  assert.deepEqual(
    run([
      [1, '\xff\xfb\x01\xff\xfb\x03Welcome\r\n\r\nLOGIN:'],
      [1, ' '],
      ...[...'fake\r'].map((c): [0 | 1, string] => [0, c]),
      [1, '\r\nPass'],
      [1, 'word: \t'],
      [0, 'usr\x7fer\r\n'],
    ]),
    ['fake/user'],
  );
});

test('telnet: a prompt longer than 256 bytes, and server text without a prompt, give no credential', () => {
  const long = 'x'.repeat(700);
  assert.deepEqual(
    run([
      [1, long + 'login:'],
      [0, 'me\r'],
      [1, 'password:'],
      [0, 'pw\r'],
    ]),
    ['me/pw'],
  );
  // only the last 256 bytes count: the word before the colon is out of them here
  assert.deepEqual(
    run([
      [1, 'user' + ' '.repeat(260) + ':'],
      [0, 'pw\r'],
    ]),
    [],
  );
  assert.deepEqual(
    run([
      [1, 'user' + ' '.repeat(250) + ':'],
      [0, 'me\r'],
      [1, 'pass:'],
      [0, 'pw\r'],
    ]),
    ['me/pw'],
  );
  // the prompt is read when its colon comes: later text does not take it back
  assert.deepEqual(
    run([
      [1, 'password:' + ' '.repeat(300) + 'x'],
      [0, 'pw\r'],
    ]),
    ['-/pw'],
  );
  assert.deepEqual(
    run([
      [1, 'a: b: user'],
      [0, 'pw\r'],
    ]),
    [],
  );
  // a line end clears the prompt
  assert.deepEqual(
    run([
      [1, 'login: \r\n'],
      [0, 'me\r'],
      [1, 'ok\npassword:'],
      [0, 'pw\r'],
    ]),
    ['me/pw'],
  );
});
