import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../main.js';
import { MemoryStream } from '../io.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fx = (name: string): string => join(root, 'test/fixtures', name);
const corpus = (name: string): string => join(root, '../shared/corpus', name);
const tmp = mkdtempSync(join(tmpdir(), 'pcaplens-alerts-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[]) {
  const stdout = new MemoryStream(false);
  const stderr = new MemoryStream(false);
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

async function json<T = Record<string, unknown>[]>(argv: string[]): Promise<T> {
  const r = await run([...argv, '--format', 'json']);
  assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`);
  return JSON.parse(r.out) as T;
}

const SMTP = fx('broken-corrupt-record-midfile-smtp.pcap');

test('alerts FILE: one row per finding with kind, severity, time span, hosts, explanation and evidence', async () => {
  const rows = await json(['alerts', SMTP]);
  assert.equal(rows.length, 1);
  const a = rows[0]!;
  assert.deepEqual(Object.keys(a).sort(), [
    'evidence',
    'explanation',
    'first_ts',
    'flow_count',
    'flow_ids',
    'heuristic',
    'hosts',
    'id',
    'key',
    'kind',
    'last_ts',
    'rule',
    'score',
    'severity',
  ]);
  assert.equal(a.kind, 'insecure_protocol');
  assert.deepEqual(a.hosts, ['10.7.29.101', '178.63.41.150']);
  assert.equal((a.evidence as Record<string, unknown>).protocol, 'SMTP');
  // the table view shows the evidence as JSON
  const table = await run(['alerts', SMTP, '--format', 'table']);
  assert.match(table.out, /\{"protocol":"SMTP"/);
});

test('alerts --filter works on the alert fields and on addresses', async () => {
  assert.equal((await json(['alerts', SMTP, '--filter', 'alerts.kind == "insecure_protocol"'])).length, 1);
  assert.equal((await json(['alerts', SMTP, '--filter', 'alerts.severity == "high"'])).length, 0);
  assert.equal((await json(['alerts', SMTP, '--filter', 'ip.addr == 178.63.41.0/24'])).length, 1);
  const bad = await run(['alerts', SMTP, '--filter', 'alerts.kindd == "x"']);
  assert.equal(bad.code, 2);
});

test('alerts @ID gives what the files give (import runs the analyses), the summary names the data sets', async () => {
  const files = [SMTP, fx('tls12-sni-sct.pcap')].filter(existsSync);
  const ftp = corpus('ftp-login-ipv4.pcap');
  if (existsSync(ftp)) files.push(ftp);
  for (const f of files) {
    const imp = await run(['import', f, '--data', tmp, '--no-geo']);
    assert.equal(imp.code, 0, imp.err);
    const id = Number(imp.out.trim());
    const direct = await json(['alerts', f]);
    assert.ok(direct.length > 0, f);
    assert.deepEqual(await json(['alerts', `@${id}`, '--data', tmp]), direct, f);
    const sum = await json<{ enrichment_sources: { kind: string }[] }>(['summary', `@${id}`, '--data', tmp]);
    assert.ok(sum.enrichment_sources.some((s) => s.kind === 'tor_relays'));
  }
});

test('--blocklist raises blocklist alerts on files and at import; --no-geo leaves the location empty', async () => {
  const list = join(tmp, 'block.txt');
  writeFileSync(list, '# test list\n178.63.41.0/24\nexample.invalid\n');
  const direct = await json(['alerts', SMTP, '--blocklist', list]);
  assert.deepEqual(
    direct.map((a) => a.kind),
    ['blocklist', 'insecure_protocol'],
  );
  const data = join(tmp, 'bl');
  const imp = await run(['import', SMTP, '--data', data, '--no-geo', '--blocklist', list]);
  assert.equal(imp.code, 0, imp.err);
  const id = imp.out.trim();
  assert.deepEqual(await json(['alerts', `@${id}`, '--data', data]), direct);
  const hosts = await json(['hosts', `@${id}`, '--data', data]);
  assert.ok(hosts.length > 0);
  for (const h of hosts) assert.equal(h.country, null);
  const sum = await json<{ enrichment_sources: { kind: string; name: string }[] }>([
    'summary',
    `@${id}`,
    '--data',
    data,
  ]);
  assert.deepEqual(
    sum.enrichment_sources.map((s) => s.kind),
    ['geoip', 'mac_vendor', 'tor_relays', 'blocklist'],
  );
  const missing = await run(['alerts', SMTP, '--blocklist', join(tmp, 'nope.txt')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.err, /cannot read blocklist/);
});
