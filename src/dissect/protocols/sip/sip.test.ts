import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSip, looksLikeSip } from './decode.js';
import { decodeNtp, ntpTime } from '../ntp/decode.js';
import { isoTime } from '../../../shared/time.js';

// sip-call.pcap (zeek, BSD) frame 1: REGISTER from a Nero SIPPS phone
const REGISTER = Uint8Array.from(
  Buffer.from(
    '5245474953544552207369703a7369702e6379626572636974792e646b205349502f322e300d0a5669613a205349502f322e302f554450203139322e3136382e312e323b6272616e63683d7a39684734624b6e703135313234383733372d34366561373135653139322e3136382e312e323b72706f72740d0a46726f6d3a203c7369703a766f693138303633407369702e6379626572636974792e646b3e3b7461673d393033646630610d0a546f3a203c7369703a766f693138303633407369702e6379626572636974792e646b3e0d0a43616c6c2d49443a203537383232323732392d3436363564373735403537383232323733322d34363635643737320d0a436f6e746163743a20203c7369703a766f693138303633403139322e3136382e312e323a353036303b6c696e653d396337643264626438383232303133633e3b657870697265733d313230303b713d302e3530300d0a457870697265733a20313230300d0a435365713a2036382052454749535445520d0a436f6e74656e742d4c656e6774683a20300d0a4d61782d466f7277617264733a2037300d0a557365722d4167656e743a204e65726f2053495050532049502050686f6e652056657273696f6e20322e302e35312e31360d0a0d0a',
    'hex',
  ),
);

test('SIP REGISTER (sip-call.pcap frame 1)', () => {
  assert.equal(looksLikeSip(REGISTER, 0, REGISTER.length), true);
  const m = decodeSip(REGISTER, 0, REGISTER.length)!;
  assert.equal(m.method, 'REGISTER');
  assert.equal(m.uri, 'sip:sip.cybercity.dk');
  assert.equal(m.callId, '578222729-4665d775@578222732-4665d772');
  assert.match(m.from!, /voi18063/);
  assert.equal(m.userAgent, 'Nero SIPPS IP Phone Version 2.0.51.16');
  const r = new TextEncoder().encode('SIP/2.0 401 Unauthorized\r\ni: abc\r\nf: <sip:a@b>\r\n\r\n');
  const s = decodeSip(r, 0, r.length)!;
  assert.equal(s.status, 401);
  assert.equal(s.callId, 'abc');
  assert.equal(s.from, '<sip:a@b>');
  assert.equal(decodeSip(new TextEncoder().encode('GET / HTTP/1.1\r\n'), 0, 16), null);
});

// ntp-digest.pcap (zeek, BSD) frame 1: NTPv4 client request, stratum 2, reference id 182.165.128.219
const NTP = Uint8Array.from(
  Buffer.from(
    '230206e800000091000006b7b6a580dbdcd2a7d77a05d46a00000000000000000000000000000000dcd2aa817b9f9bdc00000001ac017b69915ce5a7a9fb73ac8bd1603b',
    'hex',
  ),
);

test('SIP head read from bytes: compact and any-case names, trimmed values, first one wins, LF lines, head end', () => {
  const bytes = (t: string): Uint8Array => Uint8Array.from([...t].map((c) => c.charCodeAt(0)));
  const text =
    'SIP/2.0 180 Ringing\n' +
    'f:\t<sip:a@x>;tag=1 \r\n' +
    ' FROM : <sip:later@x>\r\n' +
    'T\xa0: \xa0<sip:b@x>\xa0\r\n' +
    'I: id-1\r\n' +
    'cseq:\r\n' +
    'User-Agent: ua\rx\r\n' +
    'X: call-id: no\n' +
    '\r\n' +
    'Call-ID: in-the-body\r\n';
  const m = decodeSip(bytes(text), 0, text.length)!;
  assert.equal(m.status, 180);
  assert.equal(m.reason, 'Ringing');
  assert.equal(m.from, '<sip:a@x>;tag=1');
  assert.equal(m.to, '<sip:b@x>');
  assert.equal(m.callId, 'id-1');
  assert.equal(m.cseq, '');
  assert.equal(m.userAgent, 'ua\rx');
  // a stray CR in the first line is no status line
  assert.equal(decodeSip(bytes('SIP/2.0 200 O\rK\r\n\r\n'), 0, 21), null);
  // the message is read up to end only
  assert.equal(decodeSip(bytes(text), 0, 30)!.from, '<sip:a@');
});

test('NTP header (ntp-digest.pcap frame 1)', () => {
  const m = decodeNtp(NTP, 0, NTP.length)!;
  assert.equal(m.version, 4);
  assert.equal(m.modeText, 'client');
  assert.equal(m.stratum, 2);
  assert.equal(m.refId, '182.165.128.219');
  assert.equal(decodeNtp(NTP, 0, 47), null);
  // transmit timestamp dcd2aa81.7b9f9bdc (tshark: May 26, 2017 13:22:09.482904187 UTC)
  const t = ntpTime(m.xmtSec, m.xmtFrac)!;
  assert.equal(isoTime(t.sec, t.nsec), '2017-05-26T13:22:09.482904187Z');
  assert.equal(ntpTime(0, 0), null);
  // seconds below 2^31 are era 1: 0x00000001 is one second past 2036-02-07T06:28:16Z
  const e1 = ntpTime(1, 0)!;
  assert.equal(isoTime(e1.sec, e1.nsec), '2036-02-07T06:28:17.000000Z');
});

test('SIP over TCP: messages framed by the empty line and Content-Length, split anywhere', async () => {
  const { SipStream } = await import('./stream.js');
  const body = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n';
  const text =
    'INVITE sip:bob@example.org SIP/2.0\r\n' + // request line
    'i: call-1\r\n' + // compact Call-ID
    'CSeq: 1 INVITE\r\n' +
    `l: ${body.length}\r\n` + // compact Content-Length: the body is skipped, not parsed as a message
    '\r\n' +
    body +
    'SIP/2.0 180 Ringing\r\nCall-ID: call-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';
  const bytes = new TextEncoder().encode(text);
  for (const step of [1, 7, bytes.length]) {
    const got: string[] = [];
    const s = new SipStream((m, _dir, packet) => got.push(`${m.method ?? m.status} ${m.callId} ${packet}`));
    for (let i = 0; i < bytes.length; i += step) s.data(0, bytes.subarray(i, i + step), i + 1, 0, 0);
    assert.deepEqual(
      got,
      ['INVITE call-1 1', `180 call-1 ${Math.floor(text.indexOf('SIP/2.0 180') / step) * step + 1}`],
      `step ${step}`,
    );
  }
  // a head that never ends stops the direction at 8 KiB instead of growing
  const s = new SipStream(() => assert.fail('no message'));
  const junk = new Uint8Array(20000).fill(0x41);
  s.data(1, junk, 1, 0, 0);
  s.data(1, new TextEncoder().encode('\r\n\r\n'), 2, 0, 0);
});
