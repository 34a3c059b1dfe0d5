import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SshSide, hassh, hasshServer } from './decode.js';
import { looksLikeSsh } from './index.js';

/** testdata/ssh-single-conn.stream: first segments of ssh-single-conn.pcap (zeek, BSD), "c"/"s" + hex per line. */
const segs = readFileSync(new URL('./testdata/ssh-single-conn.stream', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => [l[0] === 'c' ? 0 : 1, Uint8Array.from(Buffer.from(l.slice(2), 'hex'))] as const);

test('banners and HASSH/HASSHServer as tshark computes them (ssh-single-conn.pcap)', () => {
  for (const piece of [0, 1, 13]) {
    const sides = [new SshSide(), new SshSide()] as const;
    for (const [dir, b] of segs) {
      if (piece === 0) sides[dir].push(b);
      else for (let o = 0; o < b.length; o += piece) sides[dir].push(b.subarray(o, o + piece));
    }
    assert.equal(sides[0].banner, 'SSH-2.0-OpenSSH_3.8.1p1');
    assert.equal(sides[1].banner, 'SSH-1.99-OpenSSH_3.9p1');
    assert.equal(hassh(sides[0].kexinit!).hash, 'c4fd9343cba76d12f0dd523fbe7c4da1');
    assert.equal(hasshServer(sides[1].kexinit!).hash, 'f430cd6761697a6a658ee1d45ed22e49');
  }
  assert.equal(looksLikeSsh(segs[0]![1], 0, segs[0]![1].length), true);
});

test('hostile SSH: endless banner, absurd packet length', () => {
  const s = new SshSide();
  s.push(new Uint8Array(1000).fill(0x41));
  assert.equal(s.dead, true);
  const t = new SshSide();
  t.push(new TextEncoder().encode('SSH-2.0-x\r\n'));
  t.push(Uint8Array.of(0x7f, 0xff, 0xff, 0xff, 4, 20));
  assert.equal(t.dead, true);
  assert.equal(t.banner, 'SSH-2.0-x');
});
