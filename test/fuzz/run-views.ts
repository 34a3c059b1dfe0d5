/**
 * The views stage of the fuzz target: what a report and the graph commands draw from a run's rows, without the
 * Graphviz layout (too slow per input). Pure functions over rows: graph model, DOT, GEXF, graph JSON,
 * timeline, chord, matrix, top talkers and the HTML report itself.
 */
import type { FlowRow, HostRow } from '../../src/shared/rows.js';
import type { AnalysisResult } from '../../src/flow/analysis.js';
import { buildGraph } from '../../src/views/graph-model.js';
import { toDot } from '../../src/views/dot.js';
import { toGexf } from '../../src/views/gexf.js';
import { toGraphJson } from '../../src/views/graph-json.js';
import { timelineFromFlows, timelineSvg } from '../../src/views/timeline.js';
import { chordData, chordSvg } from '../../src/views/chord.js';
import { matrixCsv, matrixData, matrixSvg } from '../../src/views/matrix.js';
import { topNodes } from '../../src/views/top.js';
import { tagsFromFlows } from '../../src/views/traffic-class.js';
import { renderReport } from '../../src/views/report/report.js';
import type { AppTables, AnyRow } from '../../src/views/report/app-sections.js';
import type { CaptureSummary } from '../../src/shared/rows.js';

/** Flows above this are left out of the views stage (it would dominate the run time). */
const MAX_FLOWS = 3000;

export function runViews(result: AnalysisResult, rows: readonly AnyRow[]): void {
  const flows: readonly FlowRow[] = result.flows;
  const hosts: readonly HostRow[] = result.hosts;
  if (flows.length > MAX_FLOWS) return;
  const tags = tagsFromFlows(flows);
  const model = buildGraph(flows, hosts, { tags, maxNodes: 40 });
  const full = buildGraph(flows, hosts, { tags });
  toDot(model);
  toGexf(full);
  toGraphJson(model);
  const timeline = timelineFromFlows(flows, { maxBins: 150 });
  timelineSvg(timeline, 1100, 300, 'bytes');
  const chord = chordSvg(chordData(full, 12), 760);
  const matrix = matrixData(full, 25);
  matrixSvg(matrix, 1000);
  matrixCsv(matrix);
  const summary: CaptureSummary = {
    files: [],
    packets: result.packets,
    bytes: result.bytes,
    bytes_captured: result.bytesCaptured,
    first_ts: result.firstTs,
    last_ts: result.lastTs,
    duration: 0,
    protocols: result.protocols,
    flows: flows.length,
    hosts: hosts.length,
    problems: result.problems,
  };
  const tables: AppTables = {
    dns: rows.filter((r) => 'query_name' in r),
    http: rows.filter((r) => 'uri' in r),
    tls: rows.filter((r) => 'ja3' in r),
    credentials: rows.filter((r) => 'username' in r),
    files: rows.filter((r) => 'sha256' in r && 'name' in r),
  };
  renderReport({
    title: 'fuzz',
    generated: '2024-01-01T00:00:00Z',
    tool: 'pcaplens fuzz',
    summary,
    flows,
    hosts,
    graph: { svg: null, note: '' },
    timeline: { svg: timeline.flows ? timelineSvg(timeline, 1100, 300, 'bytes') : null, note: '' },
    chord: { svg: chord, note: '' },
    topIn: topNodes(full, 'in', 'peers', 20),
    topOut: topNodes(full, 'out', 'peers', 20),
    tables,
    showSecrets: false,
    files: [],
  });
}
