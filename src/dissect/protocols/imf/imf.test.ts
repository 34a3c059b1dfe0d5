import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Base64Lines, IdentityLines, QuotedPrintableLines, type LineDecoder } from './transfer-decode.js';
import { decodeWords, parseHeaderValue } from './header-params.js';
import { magicType } from './magic-type.js';
import { MimeParts, type MimeAttachment } from './mime-parts.js';

function decodeAll(
  make: (out: (b: Uint8Array, s: number, e: number) => void) => LineDecoder,
  lines: string[],
) {
  const parts: number[] = [];
  const d = make((b, s, e) => parts.push(...b.subarray(s, e)));
  for (const l of lines) d.line(l);
  return Buffer.from(parts).toString('latin1');
}

test('transfer decodings: base64 across lines, quoted-printable soft breaks and padding, identity CRLF', () => {
  // "Hello, world!\n" split mid-quantum over two lines, junk and white space ignored
  assert.equal(
    decodeAll((o) => new Base64Lines(o), ['SGVsbG8sIHdv', 'cmxk IQo=', 'QUFB']),
    'Hello, world!\n',
  );
  assert.equal(
    decodeAll((o) => new QuotedPrintableLines(o), ['caf=C3=A9 =3D one=', 'line  ', 'two=4', '=ZZ']),
    'caf\xc3\xa9 = oneline\r\ntwo=4\r\n=ZZ',
  );
  // the last line break belongs to the boundary: never written
  assert.equal(
    decodeAll((o) => new IdentityLines(o), ['a', '', 'b']),
    'a\r\n\r\nb',
  );
});

test('header values: quoted parameters, RFC 2231 pieces and charsets, RFC 2047 words', () => {
  const ct = parseHeaderValue('Multipart/Mixed; boundary="b\\"1; x"; charset=us-ascii');
  assert.equal(ct.value, 'multipart/mixed');
  assert.equal(ct.params.get('boundary'), 'b"1; x');
  assert.equal(ct.params.get('charset'), 'us-ascii');
  const cd = parseHeaderValue(
    'attachment; filename*0*=utf-8\'\'r%C3%A9sum; filename*1="e.pdf"; filename=plain.pdf',
  );
  assert.equal(cd.value, 'attachment');
  assert.equal(cd.params.get('filename'), 'résume.pdf');
  assert.equal(decodeWords('=?UTF-8?B?cmFwcG9ydA==?= =?iso-8859-1?Q?_=E9t=E9?=.doc'), 'rapport été.doc');
  assert.equal(decodeWords('=?x-unknown?Q?a=FFb?='), 'a\xffb');
  // raw UTF-8 bytes in a header (RFC 6532) come out as text
  assert.equal(decodeWords('na\xc3\xafve.txt'), 'naïve.txt');
});

test('magic types: signatures decide, text starting like one does not', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  assert.equal(magicType(b('%PDF-1.7\n')), 'application/pdf');
  assert.equal(magicType(b('\x89PNG\r\n\x1a\n....')), 'image/png');
  assert.equal(magicType(b('MZ\x90\x00')), 'application/x-dosexec');
  assert.equal(magicType(b('PK\x03\x04')), 'application/zip');
  assert.equal(magicType(b('BMW is a car brand')), null);
  assert.equal(magicType(b('ID3 tags are...')), null);
  assert.equal(magicType(b('plain text')), null);
});

const ZIP = Buffer.from('PK\x03\x04\x14\x00\x00\x00 a small zip-like body for the test', 'latin1');
const B64 = ZIP.toString('base64');

/** A message with a nested multipart/alternative body, a base64 attachment whose type lies, and a QP one. */
function crafted(): string[] {
  return [
    'From: a@example.org',
    'Subject: =?utf-8?Q?factures_=E2=82=AC?=',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed;',
    '\tboundary="outer"',
    '',
    'preamble, ignored',
    '--outer',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'body text, not an attachment',
    '--inner',
    'Content-Type: text/html',
    '',
    '<p>body</p>',
    '--inner--',
    '',
    '--outer',
    'Content-Type: text/plain; name="invoice.txt"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment;',
    ' filename="=?UTF-8?B?aW52b2ljZS5leGU=?="',
    '',
    B64.slice(0, 20),
    B64.slice(20),
    '',
    '--outer',
    'Content-Type: text/csv',
    'Content-Transfer-Encoding: quoted-printable',
    'Content-Disposition: attachment; filename=data.csv',
    '',
    'a,b=',
    ',c',
    'd=3D1',
    '--outer--',
    'epilogue, ignored',
  ];
}

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

test('MIME: attachments of a crafted message, decoded, named, typed by magic and hashed', () => {
  const got: MimeAttachment[] = [];
  const m = new MimeParts((a) => got.push(a));
  for (const l of crafted()) m.line(l);
  m.end(true);
  assert.deepEqual(
    got.map((a) => [a.name, a.contentType, a.size, a.sha256, a.complete]),
    [
      ['invoice.exe', 'application/zip', ZIP.length, sha(ZIP), true],
      ['data.csv', 'text/csv', 'a,b,c\r\nd=1'.length, sha('a,b,c\r\nd=1'), true],
    ],
  );
  // without extraction only the first 16 bytes are kept (for the magic)
  assert.deepEqual(Buffer.from(got[0]!.content), ZIP.subarray(0, 16));
});

test('MIME: extraction keeps the bytes within the cap and the shared budget, and gives the budget back', () => {
  const budget = { left: 1000 };
  const got: MimeAttachment[] = [];
  const m = new MimeParts((a) => got.push(a), { bytes: 30, budget });
  for (const l of crafted()) m.line(l);
  m.end(true);
  assert.deepEqual(Buffer.from(got[0]!.content), ZIP.subarray(0, 30));
  assert.equal(Buffer.from(got[1]!.content).toString(), 'a,b,c\r\nd=1');
  assert.equal(budget.left, 1000);
});

test('MIME: a message cut short, a cut line, and hostile nesting and part counts stay bounded', () => {
  const got: MimeAttachment[] = [];
  const m = new MimeParts((a) => got.push(a));
  const lines = crafted();
  for (const l of lines.slice(0, 28)) m.line(l);
  m.end(false);
  assert.equal(got.length, 1);
  assert.equal(got[0]!.complete, false);
  assert.equal(got[0]!.sha256, null);

  const cut: MimeAttachment[] = [];
  const c = new MimeParts((a) => cut.push(a));
  for (const l of lines.slice(0, 27)) c.line(l);
  c.line('QUFB', true);
  for (const l of lines.slice(28)) c.line(l);
  c.end(true);
  assert.equal(cut[0]!.complete, false);
  assert.equal(cut[1]!.complete, true);

  // 100 nested multiparts: only 8 levels are followed; 1000 named parts: 256 reported
  const deep: MimeAttachment[] = [];
  const d = new MimeParts((a) => deep.push(a));
  d.line('Content-Type: multipart/mixed; boundary=b0');
  d.line('');
  for (let i = 0; i < 100; i++) {
    d.line(`--b${i}`);
    d.line(`Content-Type: multipart/mixed; boundary=b${i + 1}`);
    d.line('');
  }
  d.line('--b7');
  d.line('Content-Disposition: attachment; filename=x');
  d.line('');
  d.line('x');
  d.end(true);
  assert.deepEqual(
    deep.map((a) => [a.name, a.size]),
    [['x', 1]],
  );
  const many: MimeAttachment[] = [];
  const p = new MimeParts((a) => many.push(a));
  p.line('Content-Type: multipart/mixed; boundary=z');
  p.line('');
  for (let i = 0; i < 1000; i++) {
    p.line('--z');
    p.line(`Content-Disposition: attachment; filename=f${i}`);
    p.line('');
    p.line('data');
  }
  p.line('--z--');
  p.end(true);
  assert.equal(many.length, 256);
});
