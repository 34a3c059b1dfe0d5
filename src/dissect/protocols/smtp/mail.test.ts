import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextEvent } from '../ftp/text-events.js';
import { SmtpSession } from './session.js';
import { plainCredentials } from './sasl.js';
import { Pop3Session } from '../pop3/session.js';
import { ImapSession, imapArgs } from '../imap/session.js';
import { FtpSession } from '../ftp/session.js';
import { TelnetSession } from '../telnet/session.js';

type Script = ['c' | 's', string][];
function run<T extends { client(l: string): void; server(l: string, x?: boolean): void }>(
  s: T,
  script: Script,
): void {
  for (const [who, line] of script) {
    if (who === 'c') s.client(line);
    else s.server(line, false);
  }
}

test('SMTP AUTH LOGIN, envelope, DATA with Subject, STARTTLS', () => {
  const ev: TextEvent[] = [];
  const s = new SmtpSession((e) => ev.push(e));
  run(s, [
    ['s', '220 mail.example ESMTP'],
    ['c', 'EHLO me'],
    ['s', '250-mail.example'],
    ['s', '250 AUTH LOGIN PLAIN'],
    ['c', 'AUTH LOGIN'],
    ['s', '334 VXNlcm5hbWU6'],
    ['c', 'Z3Vyc2V2YWtAY2hlZXNlLmNvbQ=='], // gursevak@cheese.com
    ['s', '334 UGFzc3dvcmQ6'],
    ['c', 'cGFzc3dvcmQ='], // password
    ['s', '235 ok'],
    ['c', 'MAIL FROM:<a@x.org>'],
    ['c', 'RCPT TO:<b@y.org>'],
    ['c', 'DATA'],
    ['s', '354 go'],
    ['c', 'Subject: hello there'],
    ['c', ''],
    ['c', '..leading dot'],
    ['c', '.'],
    ['c', 'STARTTLS'],
    ['s', '220 ready'],
  ]);
  assert.deepEqual(ev[0], {
    type: 'credential',
    method: 'auth login',
    username: 'gursevak@cheese.com',
    password: 'password',
    detail: null,
  });
  const msg = ev[1] as Extract<TextEvent, { type: 'message' }>;
  assert.equal(msg.subject, 'hello there');
  assert.equal(msg.from, 'a@x.org');
  assert.deepEqual(msg.to, ['b@y.org']);
  assert.equal(msg.size, 'Subject: hello there\r\n\r\n.leading dot\r\n'.length);
  assert.ok(msg.sha256);
  assert.deepEqual(ev[2], { type: 'starttls' });
});

test('AUTH PLAIN in SMTP, POP3 and IMAP; POP3 USER/PASS; IMAP LOGIN with quoted strings', () => {
  assert.deepEqual(plainCredentials('AHRpbQB0YW5zdGFhZnRhbnN0YWFm'), {
    user: 'tim',
    password: 'tanstaaftanstaaf',
  });
  assert.equal(plainCredentials('!!'), null);
  const ev: TextEvent[] = [];
  run(new SmtpSession((e) => ev.push(e)), [['c', 'AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm']]);
  run(new Pop3Session((e) => ev.push(e)), [
    ['c', 'USER alice'],
    ['c', 'PASS s3cret'],
    ['c', 'AUTH PLAIN'],
    ['c', 'AHRpbQB0YW5zdGFhZnRhbnN0YWFm'],
  ]);
  run(new ImapSession((e) => ev.push(e)), [
    ['c', 'a001 LOGIN "bob smith" "pa\\"ss"'],
    ['c', 'a002 AUTHENTICATE PLAIN'],
    ['c', 'AHRpbQB0YW5zdGFhZnRhbnN0YWFm'],
  ]);
  const creds = ev.map((e) => (e.type === 'credential' ? `${e.method}:${e.username}:${e.password}` : e.type));
  assert.deepEqual(creds, [
    'auth plain:tim:tanstaaftanstaaf',
    'user/pass:alice:s3cret',
    'auth plain:tim:tanstaaftanstaaf',
    'login:bob smith:pa"ss',
    'authenticate plain:tim:tanstaaftanstaaf',
  ]);
  assert.deepEqual(imapArgs('t1 LOGIN user pass'), ['t1', 'LOGIN', 'user', 'pass']);
});

test('FTP USER/PASS and a PASV data connection tied to RETR', () => {
  const ev: TextEvent[] = [];
  const f = new FtpSession((e) => ev.push(e));
  f.client('USER anonymous');
  f.client('PASS ftp@example.com');
  f.client('PASV');
  f.server('227 Entering Passive Mode (10,0,0,5,195,80).', false);
  f.client('RETR file.iso');
  assert.deepEqual(ev, [
    {
      type: 'credential',
      method: 'user/pass',
      username: 'anonymous',
      password: 'ftp@example.com',
      detail: null,
    },
    { type: 'data-endpoint', ip: '10.0.0.5', port: 50000, command: 'RETR', arg: 'file.iso' },
  ]);
});

test('Telnet: IAC negotiation stripped, echoed keystrokes, backspace, login and password prompts', () => {
  const ev: TextEvent[] = [];
  const t = new TelnetSession((e) => ev.push(e), 0);
  const b = (...x: (number | string)[]): Uint8Array =>
    Uint8Array.from(x.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v])));
  t.data(1, b(255, 253, 24, 255, 250, 24, 1, 255, 240, 'Ubuntu\r\nlogin: '));
  for (const c of 'fakx') t.data(0, b(c));
  t.data(0, b(127, 'e', 255, 251, 31, '\r', 0));
  t.data(1, b('fake\r\nPass', 'word: '));
  t.data(0, b('user\r\n'));
  assert.deepEqual(ev, [
    { type: 'credential', method: 'login prompt', username: 'fake', password: 'user', detail: null },
  ]);
});

test('mail text unread (no file rows): the same events but messages and attachments, in the same order', () => {
  const body = [
    'Subject: report',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: application/octet-stream; name="a.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    'TVpQAAIAAAAEAA8A//8AALgAAAAAAAAAQAAaAAAAAAAAAAAA',
    '--b--',
  ];
  const smtp: Script = [
    ['s', '220 mx'],
    ['c', 'AUTH PLAIN AGFsaWNlAHNlY3JldA=='], // \0alice\0secret
    ['s', '235 ok'],
    ['c', 'MAIL FROM:<a@x.org>'],
    ['c', 'DATA'],
    ['s', '354 go'],
    ...body.map((l): ['c', string] => ['c', l]),
    ['c', '.'],
    ['s', '250 queued'],
    ['c', 'STARTTLS'],
    ['s', '220 ready'],
  ];
  const pop3: Script = [
    ['s', '+OK ready'],
    ['c', 'USER bob'],
    ['s', '+OK'],
    ['c', 'PASS pw'],
    ['s', '+OK'],
    ['c', 'RETR 1'],
    ['s', '+OK message follows'],
    ...body.map((l): ['s', string] => ['s', l]),
    ['s', '.'],
    ['c', 'STLS'],
    ['s', '+OK begin TLS'],
  ];
  const nonFile = (ev: TextEvent[]) => ev.filter((e) => e.type !== 'message' && e.type !== 'attachment');
  for (const [make, script] of [
    [(emit: (e: TextEvent) => void, read: boolean) => new SmtpSession(emit, null, read), smtp],
    [(emit: (e: TextEvent) => void, read: boolean) => new Pop3Session(emit, null, read), pop3],
  ] as const) {
    const full: TextEvent[] = [];
    const bare: TextEvent[] = [];
    run(
      make((e) => full.push(e), true),
      script,
    );
    run(
      make((e) => bare.push(e), false),
      script,
    );
    // an attachment is reported as it ends, before the message that holds it
    assert.deepEqual(
      full.map((e) => e.type),
      ['credential', 'attachment', 'message', 'starttls'],
    );
    assert.ok(full.some((e) => e.type === 'attachment'));
    assert.deepEqual(nonFile(bare), nonFile(full));
    assert.ok(!bare.some((e) => e.type === 'attachment'));
    const m = bare.find((e) => e.type === 'message') as Extract<TextEvent, { type: 'message' }>;
    assert.equal(m.sha256, null);
    assert.equal(m.size, 0);
  }
});
