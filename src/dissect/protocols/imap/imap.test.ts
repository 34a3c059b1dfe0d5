import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ImapSession } from './session.js';
import type { TextEvent } from '../ftp/text-events.js';

const enc = (s: string) => new TextEncoder().encode(s);

function feed(text: string, step: number): TextEvent[] {
  const out: TextEvent[] = [];
  const s = new ImapSession((e) => out.push(e), { bytes: 1 << 16 });
  const b = enc(text);
  for (let i = 0; i < b.length; i += step) s.serverData(b.subarray(i, i + step));
  s.close();
  return out;
}

const MSG =
  'Subject: hello\r\n' +
  'Content-Type: multipart/mixed; boundary="b1"\r\n' +
  '\r\n' +
  '--b1\r\n' +
  'Content-Type: text/plain\r\n\r\n' +
  'a0001 OK looks like a response but is message text\r\n' + // must not be read as a tagged response
  '--b1\r\n' +
  'Content-Type: application/octet-stream; name="x.bin"\r\n' +
  'Content-Transfer-Encoding: base64\r\n\r\n' +
  'TVpQAAIAAAAEAA8A//8AALgAAAAAAAAAQAAaAAAAAAAAAAAA\r\n' +
  '--b1--\r\n';

test('IMAP FETCH: a BODY[] literal is read by count, whatever it contains, split anywhere', () => {
  const text =
    '* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {17}\r\n' + // header excerpt: skipped
    'Subject: skip\r\n\r\n' + // its 17 bytes; the FETCH goes on right after them
    ' BODY[] {' +
    MSG.length +
    '}\r\n' +
    MSG +
    ' FLAGS (\\Seen))\r\n' + // the FETCH response goes on after the literal
    'a0004 OK FETCH completed\r\n';
  for (const step of [1, 5, 64, text.length]) {
    const ev = feed(text, step);
    const msgs = ev.filter((e) => e.type === 'message');
    assert.equal(msgs.length, 1, `step ${step}`);
    const m = msgs[0] as Extract<TextEvent, { type: 'message' }>;
    assert.equal(m.subject, 'hello');
    assert.equal(m.size, MSG.length);
    assert.equal(m.sha256, createHash('sha256').update(MSG).digest('hex'));
    const att = ev.filter((e) => e.type === 'attachment') as Extract<TextEvent, { type: 'attachment' }>[];
    assert.deepEqual(
      att.map((a) => a.name),
      ['x.bin'],
    );
  }
});

test('IMAP FETCH: hostile and odd literals', () => {
  // a literal that ends without CRLF before ")": the last line still belongs to the message
  const short = 'Subject: s\r\n\r\nbody';
  const ev = feed(`* 2 FETCH (RFC822 {${short.length}}\r\n${short})\r\n`, 3);
  const m = ev.find((e) => e.type === 'message') as Extract<TextEvent, { type: 'message' }>;
  assert.equal(m.subject, 's');
  // a huge announced literal that the connection never delivers: reported once, incomplete, at close
  const ev2 = feed('* 3 FETCH (BODY[] {99999999}\r\nSubject: cut\r\n\r\npartial\r\n', 7);
  const m2 = ev2.filter((e) => e.type === 'message') as Extract<TextEvent, { type: 'message' }>[];
  assert.equal(m2.length, 1);
  assert.equal(m2[0]!.sha256, null);
  // an absurd length (11 digits) is not a literal at all; a literal outside FETCH is skipped, not a message
  assert.deepEqual(feed('* 4 FETCH (BODY[] {99999999999}\r\nx\r\n', 4), []);
  assert.deepEqual(feed('* OK [ALERT] {5}\r\nhello\r\na1 OK\r\n', 2), []);
});
