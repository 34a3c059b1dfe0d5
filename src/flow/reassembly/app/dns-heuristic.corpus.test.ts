/**
 * The DNS content test (dissect/protocols/dns/heuristic.ts) runs on the first payloads of every unclassified
 * UDP flow, so it must not invent DNS: on every corpus capture, the UDP flows we call dns/mdns/llmnr are
 * exactly the conversations tshark decodes as such (testdata/dns-udp-tshark.tsv, made by the script beside
 * it), and every one of them passes the content test (app_source port+heuristic).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from '../../../../test/golden/paths.js';
import { analyzeCapture } from '../../test-support/run-capture.js';

const DNS_APPS = new Set(['dns', 'mdns', 'llmnr']);
const ORACLE = new URL('./testdata/dns-udp-tshark.tsv', import.meta.url);

function tsharkRows(): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const line of readFileSync(ORACLE, 'utf8').split('\n')) {
    const [file, proto, a, b] = line.split('\t');
    if (!file || !proto || !a || !b) continue;
    let s = m.get(file);
    if (!s) m.set(file, (s = new Set()));
    s.add(`${proto}\t${a}\t${b}`);
  }
  return m;
}

const present = existsSync(CORPUS_DIR);
test(
  'UDP flows called DNS are the ones tshark decodes as DNS, on every corpus capture',
  { skip: !present },
  async () => {
    const theirs = tsharkRows();
    const files = readdirSync(CORPUS_DIR).filter((n) => /\.(pcap|pcapng|cap)$/.test(n));
    assert.ok(files.length > 50);
    let flows = 0;
    let dnsFlows = 0;
    for (const name of files) {
      // broken-no-global-header.cap is not a capture at all
      const r = await analyzeCapture(join(CORPUS_DIR, name), { hosts: false }).catch(() => null);
      if (r === null) continue;
      const ours = new Set<string>();
      for (const f of r.flows) {
        if (f.proto !== 'udp') continue;
        flows++;
        if (f.app === null || !DNS_APPS.has(f.app)) continue;
        dnsFlows++;
        assert.equal(f.app_source, 'port+heuristic', `${name} flow ${f.id}: content test on a ${f.app} port`);
        const a = `${f.src_ip} ${f.src_port}`;
        const b = `${f.dst_ip} ${f.dst_port}`;
        ours.add(`${f.app}\t${a < b ? a : b}\t${a < b ? b : a}`);
      }
      const t = theirs.get(name) ?? new Set<string>();
      assert.deepEqual(
        [...ours].filter((k) => !t.has(k)),
        [],
        `${name}: DNS flows tshark does not decode as DNS`,
      );
      assert.deepEqual(
        [...t].filter((k) => !ours.has(k)),
        [],
        `${name}: DNS flows tshark decodes that we miss`,
      );
    }
    // every UDP flow of the corpus went through the test; the DNS ones are a good share of them
    assert.ok(flows > 1000 && dnsFlows > 500, `${flows} UDP flows, ${dnsFlows} DNS`);
  },
);
