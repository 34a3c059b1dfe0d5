import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeFileName } from './extract-files.js';

test('safeFileName: a plain base name, extension kept when cut, fallback when nothing is left', () => {
  assert.equal(safeFileName('report.pdf', 'x'), 'report.pdf');
  assert.equal(safeFileName('/var/www/../../etc/passwd', 'x'), 'passwd');
  assert.equal(safeFileName('..\\..\\boot.ini', 'x'), 'boot.ini');
  assert.equal(safeFileName('..', 'fallback'), 'fallback');
  assert.equal(safeFileName(null, 'http-flow1-packet4-download'), 'http-flow1-packet4-download');
  assert.equal(safeFileName('CON.txt', 'x'), '_CON.txt');
  assert.equal(safeFileName('a\u0000b\u001b[31m\u202Etxt.exe', 'x'), 'a_b_[31m_txt.exe');
  const long = safeFileName('a'.repeat(300) + '.tar.gz', 'x');
  assert.equal(long.length, 80);
  assert.ok(long.endsWith('a.gz'));
  assert.equal(safeFileName('trailing. . ', 'x'), 'trailing');
});
