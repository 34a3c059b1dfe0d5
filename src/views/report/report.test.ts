import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureSummary } from '../../shared/rows.js';
import { buildGraph } from '../graph-model.js';
import { flowRow, hostRow, HOSTILE } from '../test-rows.js';
import { topNodes } from '../top.js';
import { MASK } from './app-sections.js';
import { renderReport, type ReportInput } from './report.js';

const summary: CaptureSummary = {
  files: [
    {
      name: `evil${HOSTILE}.pcap`,
      format: 'pcap',
      link_types: [1],
      packets: 2,
      bytes: 300,
      size: 400,
      first_ts: null,
      last_ts: null,
      problems: [],
    },
  ],
  packets: 2,
  bytes: 300,
  bytes_captured: 300,
  first_ts: '2024-01-01T00:00:00.000000Z',
  last_ts: '2024-01-01T00:00:01.000000Z',
  duration: 1,
  protocols: { eth: 2, [HOSTILE]: 1 },
  flows: 1,
  hosts: 2,
  problems: [{ file: 'x', offset: 0, code: 'E_BAD_RECORD', message: HOSTILE }],
};

function input(over: Partial<ReportInput> = {}): ReportInput {
  const flows = [flowRow({ src_ip: '10.0.0.1', dst_ip: '10.0.0.2', app: HOSTILE })];
  const hosts = [hostRow('10.0.0.1', [HOSTILE])];
  const m = buildGraph(flows, hosts);
  return {
    title: `report ${HOSTILE}`,
    generated: '2024-01-01T00:00:00Z',
    tool: 'pcaplens test',
    summary,
    flows,
    hosts,
    graph: { svg: null, note: HOSTILE },
    timeline: { svg: null, note: '' },
    chord: { svg: null, note: '' },
    topIn: topNodes(m, 'in', 'peers', 5),
    topOut: topNodes(m, 'out', 'peers', 5),
    tables: {
      dns: [{ ts: 't', query_name: HOSTILE, answers: [HOSTILE] }],
      credentials: [{ ts: 't', proto: 'ftp', username: 'bob', password: 'hunter2-secret' }],
    },
    showSecrets: false,
    files: ['graphs/a b.svg'],
    ...over,
  };
}

test('every capture string in the report is escaped; no script, no handler, no external URL', () => {
  const html = renderReport(input());
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<[^>]+\son[a-z]+\s*=/i);
  assert.doesNotMatch(html, /(src|href)\s*=\s*"(https?:|\/\/)/i);
  assert.doesNotMatch(html, /\u001b/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /q&quot;uo&#39;te/);
  assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;/);
  assert.match(html, /href="graphs\/a%20b.svg"/);
});

test('credentials are masked unless asked for; missing tables say so honestly', () => {
  const masked = renderReport(input());
  assert.doesNotMatch(masked, /hunter2-secret/);
  assert.ok(masked.includes(MASK.split(' ')[0]!));
  assert.match(masked, /bob/);
  assert.match(masked, /HTTP: not analysed in this version/);
  assert.match(masked, /Alerts: not analysed in this version/);
  assert.doesNotMatch(masked, /DNS: not analysed/);
  const shown = renderReport(input({ showSecrets: true }));
  assert.match(shown, /hunter2-secret/);
  const none = renderReport(input({ tables: { http: [] } }));
  assert.match(none, /No HTTP records in these captures/);
});
