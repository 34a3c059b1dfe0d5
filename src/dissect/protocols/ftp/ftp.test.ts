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

/** The splitter as it was, a byte at a time: the reference for the one that searches for LF. */
class ByteSplitter {
  private buf: Uint8Array;
  private len = 0;
  private dropping = false;
  constructor(
    private readonly onLine: (line: string, cut: boolean) => void,
    private readonly maxLine: number,
  ) {
    this.buf = new Uint8Array(maxLine);
  }
  push(b: Uint8Array, start = 0, end = b.length): void {
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c === 10) {
        let n = this.len;
        if (n > 0 && this.buf[n - 1] === 13) n--;
        const cut = this.dropping;
        this.len = 0;
        this.dropping = false;
        let s = '';
        for (let k = 0; k < n; k++) s += String.fromCharCode(this.buf[k]!);
        this.onLine(s, cut);
        continue;
      }
      if (this.len < this.maxLine) this.buf[this.len++] = c;
      else this.dropping = true;
    }
  }
}

test('line splitter: the same lines and cut marks as a byte-at-a-time split, on random pieces', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 300; round++) {
    const maxLine = 1 + rnd(40);
    // CR, LF and bytes of every value, lines of every length around maxLine
    const data = Uint8Array.from({ length: 1 + rnd(600) }, () => {
      const r = rnd(20);
      return r === 0 ? 10 : r === 1 ? 13 : rnd(256);
    });
    const ours: [string, boolean][] = [];
    const ref: [string, boolean][] = [];
    const a = new LineSplitter((l, c) => ours.push([l, c]), maxLine);
    const b = new ByteSplitter((l, c) => ref.push([l, c]), maxLine);
    for (let p = 0; p < data.length;) {
      const q = Math.min(data.length, p + 1 + rnd(80));
      // pieces given as a range of a larger buffer too, as a stream parser may
      if (rnd(2) === 0) {
        a.push(data.subarray(p, q));
        b.push(data.subarray(p, q));
      } else {
        a.push(data, p, q);
        b.push(data, p, q);
      }
      p = q;
    }
    assert.deepEqual(ours, ref, `round ${round}`);
    assert.equal(a.pending, (b as unknown as { len: number }).len, `round ${round} pending`);
  }
});
