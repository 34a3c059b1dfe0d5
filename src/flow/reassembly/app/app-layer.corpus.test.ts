/**
 * The application layer against tshark's oracle on every capture that has one: DNS question names and types
 * of query messages ([dns_queries]), HTTP request method/Host/URI ([http_requests]) and TLS/QUIC SNI per
 * ClientHello ([tls_sni]). Uses the shipped fixtures, plus the team corpus when it is present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, FIXTURE_DIR, FIXTURE_ORACLE_DIR } from '../../../../test/golden/paths.js';
import { readOracle } from '../../../../test/golden/oracle.js';
import { analyzeCapture } from '../../test-support/run-capture.js';
import type { DnsRow, HttpRow, TlsRow } from '../../../shared/app-rows.js';
import { AppLayer } from './app-layer.js';

function captures(): { name: string; cap: string; oracle: string }[] {
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

function count(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function diff(ours: Map<string, number>, theirs: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, n] of theirs) if (ours.get(k) !== n) out.push(`${k}: ours ${ours.get(k) ?? 0}, tshark ${n}`);
  for (const [k, n] of ours) if (!theirs.has(k)) out.push(`${k}: ours ${n}, tshark 0`);
  return out;
}

/**
 * Known, explained differences (file -> section -> reason). Everything else must match exactly.
 */
const KNOWN: Record<string, Partial<Record<'dns' | 'http' | 'tls', string>>> = {
  // a fuzzed capture: tshark cuts a Host value at its NUL byte and builds one request out of a corrupted
  // segment that does not start with a request line; we keep the value whole and refuse the corrupted head
  'fuzzed-be-wireshark-2006.pcap': { http: 'fuzzed bytes' },
};

for (const { name, cap, oracle } of captures()) {
  const o = readOracle(oracle);
  const sec = (s: string): string[][] => o.sections.get(s) ?? [];
  const theirsDns = new Map(
    sec('dns_queries').map((r) => [`${r[0]} ${r[1]} ${r[2]}`, Number(r[3])] as [string, number]),
  );
  const theirsHttp = new Map(
    sec('http_requests').map((r) => [`${r[0]} ${r[1]} ${r[2]}`, Number(r[3])] as [string, number]),
  );
  const theirsTls = new Map(sec('tls_sni').map((r) => [`${r[0]} ${r[1]}`, Number(r[2])] as [string, number]));
  if (theirsDns.size + theirsHttp.size + theirsTls.size === 0) continue;
  test(`app layer vs tshark: ${name}`, async () => {
    const dns: DnsRow[] = [];
    const http: HttpRow[] = [];
    const tls: TlsRow[] = [];
    const app = new AppLayer({ dns: (r) => dns.push(r), http: (r) => http.push(r), tls: (r) => tls.push(r) });
    await analyzeCapture(cap, { onPacket: app.onPacket, onFlowEnd: app.onFlowEnd });
    const problems: string[] = [];
    const known = KNOWN[name] ?? {};
    const dq = count(
      dns
        .filter((r) => r.has_query && r.proto !== 'nbns')
        .flatMap((r) =>
          r.questions.map((q) => {
            const sp = q.lastIndexOf(' ');
            return `${r.proto} ${esc(q.slice(0, sp))} ${q.slice(sp + 1)}`;
          }),
        ),
    );
    const hq = count(
      http
        .filter((r) => r.method !== null)
        .map((r) => `${esc(r.method!)} ${r.host === null ? '-' : esc(r.host)} ${esc(r.uri ?? '-')}`),
    );
    const tq = count(
      tls.filter((r) => r.server_name !== null).map((r) => `${r.carrier} ${esc(r.server_name!)}`),
    );
    if (!known.dns) problems.push(...diff(dq, theirsDns).map((x) => `dns ${x}`));
    if (!known.http) problems.push(...diff(hq, theirsHttp).map((x) => `http ${x}`));
    if (!known.tls) problems.push(...diff(tq, theirsTls).map((x) => `tls ${x}`));
    assert.deepEqual(problems.slice(0, 20), [], `${name}: ${problems.length} differences`);
  });
}
