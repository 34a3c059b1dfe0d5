/**
 * The application table commands end to end: rows against tshark's oracle ([dns_queries], [http_requests],
 * [tls_sni]) on every capture that has them, a stored capture (@ID) printing the same rows as the direct run,
 * filters and time windows, and files --extract writing what the rows describe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_DIR, FIXTURE_DIR, FIXTURE_ORACLE_DIR } from '../../../test/golden/paths.js';
import { readOracle } from '../../../test/golden/oracle.js';
import type { DnsRow, FileRow, HttpRow, TlsRow } from '../../shared/app-rows.js';
import { APP_TABLES } from '../../engine/app-tables.js';
import { main } from '../main.js';
import { MemoryStream } from '../io.js';

const tmp = mkdtempSync(join(tmpdir(), 'pcaplens-app-cli-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[]) {
  const stdout = new MemoryStream(false);
  const stderr = new MemoryStream(false);
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

async function rows<T>(argv: string[]): Promise<T[]> {
  const r = await run([...argv, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as T[];
}

function oracleCaptures(): { name: string; cap: string; oracle: string }[] {
  const seen = new Map<string, { name: string; cap: string; oracle: string }>();
  for (const [dir, odir] of [
    [FIXTURE_DIR, FIXTURE_ORACLE_DIR],
    [CORPUS_DIR, join(CORPUS_DIR, 'oracle')],
  ] as const) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const oracle = join(odir, `${name}.txt`);
      if (!seen.has(name) && existsSync(oracle)) seen.set(name, { name, cap: join(dir, name), oracle });
    }
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** tshark's escaping of tab, newline, CR and backslash in oracle values. */
const esc = (s: string): string =>
  s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

function counts(keys: string[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const k of keys) m[k] = (m[k] ?? 0) + 1;
  return m;
}

/** Explained differences, as in the app layer's own corpus check (flow/reassembly/app/app-layer.corpus.test.ts). */
const KNOWN_HTTP = new Set(['fuzzed-be-wireshark-2006.pcap']);

for (const { name, cap, oracle } of oracleCaptures()) {
  const o = readOracle(oracle);
  const sec = (s: string) => o.sections.get(s) ?? [];
  const dnsQ = sec('dns_queries');
  const httpQ = sec('http_requests');
  const tlsQ = sec('tls_sni');
  if (dnsQ.length + httpQ.length + tlsQ.length === 0) continue;
  test(`dns/http/tls commands vs tshark: ${name}`, async () => {
    if (dnsQ.length) {
      const dns = await rows<DnsRow>(['dns', cap]);
      const ours = counts(
        dns
          .filter((r) => r.has_query && r.proto !== 'nbns')
          .flatMap((r) =>
            r.questions.map((q) => {
              const sp = q.lastIndexOf(' ');
              return `${r.proto} ${esc(q.slice(0, sp))} ${q.slice(sp + 1)}`;
            }),
          ),
      );
      assert.deepEqual(ours, Object.fromEntries(dnsQ.map((r) => [`${r[0]} ${r[1]} ${r[2]}`, Number(r[3])])));
    }
    if (httpQ.length && !KNOWN_HTTP.has(name)) {
      const http = await rows<HttpRow>(['http', cap]);
      const ours = counts(
        http
          .filter((r) => r.method !== null)
          .map((r) => `${esc(r.method!)} ${r.host === null ? '-' : esc(r.host)} ${esc(r.uri ?? '-')}`),
      );
      assert.deepEqual(ours, Object.fromEntries(httpQ.map((r) => [`${r[0]} ${r[1]} ${r[2]}`, Number(r[3])])));
    }
    if (tlsQ.length) {
      const tls = await rows<TlsRow>(['tls', cap]);
      const ours = counts(
        tls.filter((r) => r.server_name !== null).map((r) => `${r.carrier} ${esc(r.server_name!)}`),
      );
      assert.deepEqual(ours, Object.fromEntries(tlsQ.map((r) => [`${r[0]} ${r[1]}`, Number(r[2])])));
    }
  });
}

const fx = (n: string) => join(FIXTURE_DIR, n);
const corpus = (n: string) => join(CORPUS_DIR, n);

test('a stored capture (@ID) prints the same rows as the direct run, every table and format', async () => {
  const data = join(tmp, 'data');
  const caps = [
    fx('dhcp-dora.pcap'),
    fx('tcp-retransmissions-http.pcap'),
    fx('sll2-tls13-sni.pcap'),
    fx('dns-edns-ecs-ipv4-fragments.pcap'),
  ];
  // the corpus adds clear-text credentials and SSH when it is there
  for (const c of ['ftp-login-ipv4.pcap', 'pop3-auth-plain.pcap', 'ssh-single-conn.pcap'])
    if (existsSync(corpus(c))) caps.push(corpus(c));
  const nonEmpty = new Set<string>();
  for (const cap of caps) {
    const imp = await run(['import', cap, '--data', data, '--format', 'json']);
    assert.equal(imp.code, 0, imp.err);
    const id = (JSON.parse(imp.out) as { id: number }[])[0]!.id;
    for (const t of APP_TABLES) {
      for (const format of t === 'dns' || t === 'files' ? ['json', 'csv'] : ['json']) {
        const direct = await run([t, cap, '--format', format]);
        const stored = await run([t, `@${id}`, '--data', data, '--format', format]);
        assert.equal(direct.code, 0, direct.err);
        assert.equal(stored.code, 0, stored.err);
        assert.equal(stored.out, direct.out, `${cap} ${t} ${format}`);
        if (format === 'json' && direct.out.trim() !== '[]' && direct.out.trim() !== '[\n]') nonEmpty.add(t);
      }
    }
  }
  const want = ['dns', 'http', 'tls', 'dhcp', 'files'];
  if (caps.length > 4) want.push('credentials', 'ssh');
  for (const t of want) assert.ok(nonEmpty.has(t), `no ${t} rows compared`);
});

test('--filter and --from/--to narrow the rows the same way on files and on the store', async () => {
  const cap = fx('seed-pcapviz-project-test3.pcap');
  const all = await rows<DnsRow>(['dns', cap]);
  assert.ok(all.length > 2);
  const first = all[0]!;
  const some = await rows<DnsRow>(['dns', cap, '--filter', `dns.query_name == "${first.query_name}"`]);
  assert.ok(some.length >= 1 && some.length < all.length);
  assert.ok(some.every((r) => r.query_name === first.query_name));
  const mid = [...all].sort((a, b) => a.ts.localeCompare(b.ts))[all.length >> 1]!.ts;
  const windowed = await rows<DnsRow>(['dns', cap, '--from', mid]);
  assert.deepEqual(
    windowed,
    all.filter((r) => r.ts >= mid),
  );
  assert.ok(windowed.length > 0 && windowed.length < all.length);
  // the same window and filter on the stored capture
  const data = join(tmp, 'data-w');
  const imp = await run(['import', cap, '--data', data, '--format', 'json']);
  const id = (JSON.parse(imp.out) as { id: number }[])[0]!.id;
  assert.deepEqual(await rows<DnsRow>(['dns', `@${id}`, '--data', data, '--from', mid]), windowed);
  const rel = await rows<DnsRow>(['dns', cap, '--to', '+1s']);
  assert.deepEqual(await rows<DnsRow>(['dns', `@${id}`, '--data', data, '--to', '+1s']), rel);
  assert.deepEqual(
    await rows<DnsRow>([
      'dns',
      `@${id}`,
      '--data',
      data,
      '--filter',
      `dns.query_name == "${first.query_name}"`,
    ]),
    some,
  );
  const bad = await run(['dns', cap, '--filter', 'dns.no_such_field == 1']);
  assert.equal(bad.code, 2);
  assert.equal(bad.out, '');
});

test(
  'credentials show the secret as sent (FTP USER/PASS)',
  { skip: !existsSync(corpus('ftp-login-ipv4.pcap')) },
  async () => {
    const creds = await rows<{ proto: string; username: string; password: string }>([
      'credentials',
      corpus('ftp-login-ipv4.pcap'),
    ]);
    assert.deepEqual(
      creds.map((c) => [c.proto, c.username, c.password]),
      [['ftp', 'anonymous', 'test']],
    );
  },
);

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('files --extract writes each body under a safe name with the SHA-256 of its row, and an index', async () => {
  const out = join(tmp, 'extract');
  const cap = fx('null-loopback-http-download.pcap');
  const r = await run(['files', cap, '--extract', out, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const fileRows = JSON.parse(r.out) as FileRow[];
  assert.equal(fileRows.length, 1);
  const row = fileRows[0]!;
  assert.equal(row.complete, true);
  const index = JSON.parse(readFileSync(join(out, 'files.json'), 'utf8')) as {
    file: string;
    sha256: string;
    size: number;
    truncated: boolean;
    row: FileRow;
  }[];
  assert.equal(index.length, 1);
  const e = index[0]!;
  assert.deepEqual(e.row, row);
  assert.equal(e.truncated, false);
  assert.match(e.file, /^[A-Za-z0-9._-]+$/);
  const bytes = readFileSync(join(out, e.file));
  assert.equal(bytes.length, row.size);
  assert.equal(sha256(bytes), row.sha256);
  assert.equal(e.sha256, row.sha256);
  assert.match(r.err, /1 files written/);

  // the directory now has files: refused without --force; with it, nothing is replaced
  const again = await run(['files', cap, '--extract', out, '--format', 'json']);
  assert.equal(again.code, 1);
  assert.match(again.err, /not empty/);
  const forced = await run(['files', cap, '--extract', out, '--force', '--format', 'json']);
  assert.equal(forced.code, 0, forced.err);
  const names = readdirSync(out).sort();
  assert.deepEqual(
    names,
    ['files-1.json', 'files.json', e.file, e.file.replace(/(\.[^.]*)?$/, '-1$1')].sort(),
  );
  assert.equal(
    sha256(
      readFileSync(
        join(
          out,
          names.find((n) => n.includes('-1') && n !== 'files-1.json')!,
        ),
      ),
    ),
    row.sha256,
  );
});

test(
  'files --extract: an ISO download and FTP data come out whole, named from the capture',
  { skip: !existsSync(corpus('http-iso-file-download.pcap')) },
  async () => {
    for (const [cap, want] of [
      ['http-iso-file-download.pcap', 'myiso.iso'],
      ['ftp-login-ipv4.pcap', 'robots.txt'],
    ] as const) {
      const out = join(tmp, `x-${cap}`);
      const r = await run(['files', corpus(cap), '--extract', out, '--format', 'json']);
      assert.equal(r.code, 0, r.err);
      const row = (JSON.parse(r.out) as FileRow[]).find((f) => f.name === want)!;
      assert.ok(row, `${cap}: a row named ${want}`);
      const bytes = readFileSync(join(out, want));
      assert.equal(sha256(bytes), row.sha256);
    }
  },
);

test(
  'files --extract: SMTP messages come out whole as .eml files, their attachments beside them',
  { skip: !existsSync(corpus('smtp-auth-login.pcap')) },
  async () => {
    const out = join(tmp, 'x-smtp');
    const r = await run(['files', corpus('smtp-auth-login.pcap'), '--extract', out, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const fileRows = JSON.parse(r.out) as FileRow[];
    assert.ok(fileRows.length >= 1 && fileRows.every((f) => f.proto === 'smtp' && f.sha256 !== null));
    const index = JSON.parse(readFileSync(join(out, 'files.json'), 'utf8')) as {
      file: string;
      row: FileRow;
    }[];
    assert.equal(index.length, fileRows.length);
    // each message is kept whole (.eml) and each MIME attachment as a file of its own (NEWS.txt here)
    const names = index.map((e) => e.file);
    assert.ok(names.filter((n) => n.endsWith('.eml')).length >= 1, names.join(', '));
    assert.ok(names.includes('NEWS.txt'), names.join(', '));
    for (const e of index) assert.equal(sha256(readFileSync(join(out, e.file))), e.row.sha256);
  },
);

test('files @ID --extract re-reads the kept capture', async () => {
  const data = join(tmp, 'data-x');
  const cap = fx('null-loopback-http-download.pcap');
  const imp = await run(['import', cap, '--data', data, '--format', 'json']);
  const id = (JSON.parse(imp.out) as { id: number }[])[0]!.id;
  const out = join(tmp, 'extract-stored');
  const r = await run(['files', `@${id}`, '--data', data, '--extract', out, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const [row] = JSON.parse(r.out) as FileRow[];
  const [e] = JSON.parse(readFileSync(join(out, 'files.json'), 'utf8')) as { file: string }[];
  assert.equal(sha256(readFileSync(join(out, e!.file))), row!.sha256);
});

test('--extract belongs to files only', async () => {
  const r = await run(['dns', fx('dhcp-dora.pcap'), '--extract', join(tmp, 'nope')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--extract/);
});
