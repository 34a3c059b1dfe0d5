import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileInput } from '../../enrich/name-inputs.js';
import { resolveConfig } from '../config.js';
import { ts } from '../test-support.js';
import { detectCleartextExecutables, judgeFile } from './cleartext-downloads.js';

const file = (o: Partial<FileInput>): FileInput => ({
  flow_id: 1,
  ts: ts(0),
  client_ip: '10.0.0.2',
  server_ip: '203.0.113.5',
  proto: 'http',
  name: null,
  content_type: null,
  size: 1000,
  sha256: null,
  direction: 'download',
  ...o,
});

// first bytes as FileRow.magic carries them (16 bytes hex)
const MZ = '4d5a90000300000004000000ffff0000'; // "MZ" DOS header of a PE file
const ELF = '7f454c46020101000000000000000000'; // "\x7fELF", 64-bit little-endian
const MACHO = 'cffaedfe0c000001000000000200000'; // MH_MAGIC_64 little-endian (arm64)
const SHEBANG = '23212f62696e2f73680a'; // "#!/bin/sh\n"
const JS_TEXT = '2f2a21206a517565727920'; // "/*! jQuery "

test('judgeFile: native executables by their first bytes, whatever the name or type says', () => {
  assert.deepEqual(judgeFile('setup.exe', 'application/x-msdownload', MZ, 'off'), {
    kind: { cls: 'native', what: 'PE/DOS executable (MZ)' },
    severity: 'medium',
    score: 1,
    by: ['magic', 'extension', 'content_type'],
    disguised: false,
  });
  const disguised = judgeFile('jquery.min.js', 'application/javascript', MZ, 'off')!;
  assert.equal(disguised.severity, 'medium');
  assert.equal(disguised.disguised, true);
  assert.equal(judgeFile('a', null, ELF, 'off')?.kind.what, 'ELF executable');
  assert.equal(judgeFile(null, 'application/octet-stream', MACHO, 'off')?.kind.cls, 'native');
  assert.equal(judgeFile('install', 'text/plain', SHEBANG, 'off')?.kind.cls, 'os-script');
});

test('judgeFile: installers, images, packages and OS scripts by extension or type; web JS/CSS off or info', () => {
  for (const n of [
    'myiso.iso',
    'app.apk',
    'lib.jar',
    'x.msi',
    'run.ps1',
    'a.vbs',
    'b.hta',
    'c.sh',
    'd.bat',
  ]) {
    assert.equal(judgeFile(n, 'application/octet-stream', null, 'off')?.severity, 'medium', n);
  }
  assert.equal(judgeFile('tool.py', null, null, 'off')?.severity, 'low');
  assert.equal(
    judgeFile('download', 'application/vnd.android.package-archive', null, 'off')?.kind.cls,
    'package',
  );
  // browsing: scripts and styles loaded by pages (http-browsing-bro-org, mixed-many-protocols)
  assert.equal(judgeFile('jquery.cycle.all.min.js', 'application/javascript', JS_TEXT, 'off'), null);
  assert.equal(judgeFile('chartbeat.js', 'application/x-javascript; charset=utf-8', null, 'off'), null);
  assert.equal(judgeFile('dc.js', 'text/javascript', null, 'off'), null);
  assert.equal(judgeFile('site.css', 'text/css', null, 'off'), null);
  assert.equal(judgeFile('app.js', null, null, 'off'), null);
  assert.equal(judgeFile('app.js', 'text/plain', null, 'off'), null);
  assert.equal(judgeFile('dc.js', 'text/javascript', null, 'info')?.severity, 'info');
  // a .js served as a download is a Windows Script Host dropper's shape: low
  const wsh = judgeFile('invoice.js', 'application/octet-stream', null, 'off')!;
  assert.equal(wsh.severity, 'low');
  assert.match(wsh.kind.what, /Script Host/);
  // a Flash movie, an image, a page: nothing
  assert.equal(judgeFile('player.swf', 'application/x-shockwave-flash', '435753', 'off'), null);
  assert.equal(judgeFile('logo.png', 'image/png', '89504e470d0a1a0a', 'off'), null);
  assert.equal(judgeFile('index.html', 'text/html', '3c21444f43545950', 'off'), null);
});

test('detectCleartextExecutables: HTTP and FTP downloads, uploads ignored, config webScripts', () => {
  const files = [
    file({ flow_id: 1, name: 'setup.exe', content_type: 'application/x-msdownload', magic: MZ }),
    file({ flow_id: 2, name: 'jquery.js', content_type: 'application/javascript', magic: JS_TEXT }),
    file({ flow_id: 3, proto: 'ftp', name: 'tool.elf', content_type: null }),
    file({ flow_id: 4, name: 'upload.exe', direction: 'upload' }),
  ];
  const a = detectCleartextExecutables({ flows: [], files }, resolveConfig());
  assert.deepEqual(
    a.map((x) => [x.evidence['name'], x.severity]),
    [
      ['setup.exe', 'medium'],
      ['tool.elf', 'medium'],
    ],
  );
  assert.match(a[0]!.explanation, /a PE\/DOS executable \(MZ\), from 203\.0\.113\.5 over plain HTTP/);
  assert.match(a[1]!.explanation, /over plain FTP/);
  const info = detectCleartextExecutables(
    { flows: [], files },
    resolveConfig({ cleartextExecutable: { webScripts: 'info' } }),
  );
  assert.deepEqual(
    info.map((x) => x.severity),
    ['medium', 'info', 'medium'],
  );
});
