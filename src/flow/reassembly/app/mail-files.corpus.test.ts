/**
 * Mail attachments as files. smtp-auth-login.pcap carries one message (Subject "SMTP") with a
 * quoted-printable NEWS.txt attachment. tshark's imf export of this capture is garbled (it glues segments of
 * the retransmitted stream twice), so the expected values come from the DATA text of tshark's raw
 * "follow,tcp" output parsed by Python's email package: message 14 545 bytes sha256 64ff3e16...,
 * NEWS.txt text/plain 10 807 bytes decoded, sha256 ac04c5d2....
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from '../../../../test/golden/paths.js';
import { analyzeFiles } from '../../../engine/analyze-files.js';
import { PcapWriter, latin1, tcpConversation } from '../../../../test/hostile/capture-builder.js';
import { analyzeBytes } from '../../../../test/hostile/analyze-bytes.js';

const SMTP = join(CORPUS_DIR, 'smtp-auth-login.pcap');

test(
  'smtp-auth-login.pcap: the attachment is a file row, and extraction gives its decoded bytes',
  { skip: !existsSync(SMTP) },
  async () => {
    const kept = new Map<string, Uint8Array>();
    const r = await analyzeFiles([SMTP], {
      fileBytes: {
        maxFileBytes: 1 << 20,
        maxHeldBytes: 8 << 20,
        onFile: (row, c) => kept.set(row.name ?? '', c),
      },
    });
    assert.deepEqual(
      r.files.map((f) => [
        f.flow_id,
        f.proto,
        f.name,
        f.content_type,
        f.size,
        f.sha256,
        f.complete,
        f.direction,
      ]),
      [
        [
          2,
          'smtp',
          'NEWS.txt',
          'text/plain',
          10807,
          'ac04c5d2cd8fa9a2670c959806f5181a56b3e9bb1cc7da150af98ba074c86b55',
          true,
          'upload',
        ],
        [
          2,
          'smtp',
          'SMTP',
          'message/rfc822',
          14545,
          '64ff3e16711236b4d6c704212e28961af3e43ddb63997aab921f458484c6d8ae',
          true,
          'upload',
        ],
        [
          6,
          'smtp',
          'Re: Bro SMTP CC Header',
          'message/rfc822',
          804,
          'fa70511f24f1662b530479d2b4375da071de2b1c5ae21d0411a2c13f039dc06e',
          true,
          'upload',
        ],
      ],
    );
    // the first bytes: "Version 4.9.9.1\r"
    assert.equal(r.files[0]!.magic, Buffer.from('Version 4.9.9.1\r').toString('hex'));
    const news = kept.get('NEWS.txt')!;
    assert.equal(news.length, 10807);
    assert.equal(createHash('sha256').update(news).digest('hex'), r.files[0]!.sha256);
  },
);

test('a crafted SMTP message: base64 attachment typed by its bytes, dot-stuffed lines, over several segments', async () => {
  const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(3000, 0x41)]);
  const b64 = exe.toString('base64').match(/.{1,76}/g)!;
  const msg = [
    'From: x@example.org',
    'Subject: payslip',
    'Content-Type: multipart/mixed; boundary="==b=="',
    '',
    '--==b==',
    'Content-Type: text/plain',
    '',
    '..a dot-stuffed body line',
    '--==b==',
    'Content-Type: application/pdf; name="payslip.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    ...b64,
    '--==b==--',
    '.',
    '',
  ].join('\r\n');
  const w = new PcapWriter();
  for (const f of tcpConversation(
    '10.1.0.1',
    '10.1.0.2',
    41000,
    25,
    [
      { fromClient: false, data: latin1('220 mx ESMTP\r\n') },
      { fromClient: true, data: latin1('MAIL FROM:<x@example.org>\r\nRCPT TO:<y@example.org>\r\nDATA\r\n') },
      { fromClient: false, data: latin1('250 ok\r\n250 ok\r\n354 go\r\n') },
      { fromClient: true, data: latin1(msg) },
      { fromClient: false, data: latin1('250 queued\r\n') },
    ],
    500,
  ))
    w.add(f);
  const { rows } = await analyzeBytes(w.bytes());
  const f = rows.files[0]!;
  // declared a PDF; its bytes say a DOS/PE executable
  assert.deepEqual(
    [f.proto, f.name, f.content_type, f.size, f.sha256, f.complete, f.direction],
    [
      'smtp',
      'payslip.pdf',
      'application/x-dosexec',
      exe.length,
      createHash('sha256').update(exe).digest('hex'),
      true,
      'upload',
    ],
  );
  assert.deepEqual(
    rows.files.map((r) => r.name),
    ['payslip.pdf', 'payslip'],
  );
});

const POP3 = join(CORPUS_DIR, 'pop3-auth-plain.pcap');

test(
  'pop3-auth-plain.pcap: each RETR is a message file of the size LIST announced',
  { skip: !existsSync(POP3) },
  async () => {
    const r = await analyzeFiles([POP3]);
    // the server's LIST answer in tshark's follow,tcp,ascii: "1 5565", "2 8412", "3 5214"; subjects as tshark's imf export names them
    assert.deepEqual(
      r.files.map((f) => [f.proto, f.name, f.content_type, f.size, f.complete, f.direction]),
      [
        ['pop3', 'A message from 1&1 Internet', 'message/rfc822', 5565, true, 'download'],
        ['pop3', 'Testing', 'message/rfc822', 8412, true, 'download'],
        ['pop3', 'RE: Testing', 'message/rfc822', 5214, true, 'download'],
      ],
    );
  },
);

test('crafted POP3: listings skipped, a RETR with an attachment, a message cut by the end of the capture', async () => {
  const msg = (name: string) =>
    [
      'Subject: hi',
      'Content-Type: multipart/mixed; boundary=q',
      '',
      '--q',
      `Content-Disposition: attachment; filename=${name}`,
      '',
      '..starts with a dot',
      '--q--',
    ].join('\r\n') + '\r\n';
  const w = new PcapWriter();
  for (const f of tcpConversation('10.2.0.1', '10.2.0.2', 42000, 110, [
    { fromClient: false, data: latin1('+OK ready\r\n') },
    { fromClient: true, data: latin1('USER u\r\nPASS p\r\nLIST\r\nRETR 1\r\nRETR 2\r\n') },
    {
      fromClient: false,
      data: latin1(
        `+OK\r\n+OK\r\n+OK 2 messages\r\n1 120\r\n.\r\n+OK\r\n${msg('a.txt')}.\r\n+OK\r\n${msg('b.txt')}`,
      ),
    },
  ]))
    w.add(f);
  const { rows } = await analyzeBytes(w.bytes());
  assert.deepEqual(
    rows.files.map((f) => [f.proto, f.name, f.size, f.complete, f.direction]),
    [
      ['pop3', 'a.txt', '.starts with a dot'.length, true, 'download'],
      ['pop3', 'hi', msg('a.txt').length - 1, true, 'download'],
      // its closing boundary came: the attachment is whole though the message never ended
      ['pop3', 'b.txt', '.starts with a dot'.length, true, 'download'],
      ['pop3', 'hi', msg('b.txt').length - 1, false, 'download'],
    ],
  );
  assert.deepEqual(
    rows.credentials.map((c) => [c.proto, c.username, c.password]),
    [['pop3', 'u', 'p']],
  );
});
