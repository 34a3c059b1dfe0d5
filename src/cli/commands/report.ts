import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalyzeFilesResult } from '../../engine/analyze-files.js';
import { enrichRun } from '../../engine/enrich-result.js';
import { Enrichment } from '../../engine/enrich-sources.js';
import type { AlertRow } from '../../shared/alert-rows.js';
import { ENRICH_HELP, ENRICH_OPTIONS, enrichOptionsFrom, type EnrichValues } from '../enrich-args.js';
import { chordData, chordSvg } from '../../views/chord.js';
import { toGraphJson } from '../../views/graph-json.js';
import { buildGraph } from '../../views/graph-model.js';
import { graphTitle } from '../../views/graph-style.js';
import { matrixCsv, matrixData, matrixSvg } from '../../views/matrix.js';
import { APP_TABLES, maskSecrets, type AnyRow, type AppTables } from '../../views/report/app-sections.js';
import { renderReport } from '../../views/report/report.js';
import { timelineFromFlows, timelineSvg } from '../../views/timeline.js';
import { topNodes } from '../../views/top.js';
import { tagsFromFlows } from '../../views/traffic-class.js';
import { checkXml } from '../../views/xml-check.js';
import { PcaplensError } from '../../shared/errors.js';
import { FLOW_COLUMNS, HOST_COLUMNS } from '../columns.js';
import { csvRows } from '../format/csv.js';
import { terminalSafe } from '../format/terminal-safe.js';
import type { CliIo } from '../io.js';
import { version } from '../version.js';
import { LAYOUT_ENGINES, svgForInline } from '../render/graphviz.js';
import { graphToSvg } from '../render/graph-svg.js';
import { prepareOutput, writeOutput } from '../render/output-file.js';
import { svgToPng } from '../render/png.js';
import { choice, flag, intOption, needFiles, needOut, parseViewArgs } from '../render/view-args.js';
import { runAnalysis } from '../run-analysis.js';
import type { Command } from './command.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'one self-contained HTML report (plus graphs/ and tables/) for sharing a capture analysis',
  help: `Usage: pcaplens report <capture...> -o DIR [--show-secrets] [--force]

Writes DIR/index.html: one file with inline CSS and SVG, no script and no external link, that opens from
disk in any browser. It holds the summary, protocol counts, hosts, the traffic graph, top talkers,
conversations, a timeline, a chord diagram and the DNS/HTTP/TLS/DHCP/credentials/files/alerts tables
(sections say so when a table is not analysed in this version). Next to it: DIR/graphs/*.svg|png and
DIR/tables/*.csv|json.

Options:
  -o, --out DIR       output directory (created as needed; required)
  --show-secrets      show passwords and other secrets in clear (masked by default, also in tables/)
  --max-nodes N       node limit of the traffic graph before grouping by subnet (default 150)
  --engine NAME       Graphviz layout for the graph: ${LAYOUT_ENGINES.join(', ')} (default sfdp)
  --force             replace an existing report in DIR
  -h, --help          this help
${ENRICH_HELP}

Example:
  pcaplens report incident.pcapng -o reports/incident
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const p = parseViewArgs(argv, 'report', {
      out: { type: 'string', short: 'o' },
      'show-secrets': { type: 'boolean' },
      'max-nodes': { type: 'string' },
      engine: { type: 'string' },
      force: { type: 'boolean' },
      ...ENRICH_OPTIONS,
    });
    if (flag(p, 'help')) {
      io.stdout.write(this.help);
      return 0;
    }
    const files = needFiles(p, 'report');
    const dir = needOut(p, 'report');
    const maxNodes = intOption(p, 'report', 'max-nodes', 150, 1, 100_000);
    const engine = choice(p, 'report', 'engine', LAYOUT_ENGINES, 'sfdp');
    const showSecrets = flag(p, 'show-secrets');
    const enrichment = new Enrichment(enrichOptionsFrom(p.values as EnrichValues));
    const index = await prepareOutput(join(dir, 'index.html'), flag(p, 'force'));
    const result = await runAnalysis(files, io);
    // hosts with vendor, names, location, OS guess and tags; the alerts table; the data sets in the summary
    const enriched = await enrichRun(result, enrichment);
    const written = await writeReport(
      dir,
      index,
      {
        ...result,
        summary: { ...result.summary, enrichment_sources: enriched.sources },
        hosts: enriched.hosts,
        alerts: enriched.alerts,
      },
      { maxNodes, engine, showSecrets },
    );
    io.stderr.write(
      terminalSafe(`pcaplens: report: wrote ${join(dir, 'index.html')} and ${written - 1} side files`) + '\n',
    );
    return 0;
  },
};

export interface ReportOptions {
  maxNodes: number;
  engine: (typeof LAYOUT_ENGINES)[number];
  showSecrets: boolean;
}

/** The engine's result, with the alerts of the analyses when they were run. */
export type ReportData = AnalyzeFilesResult & { alerts?: AlertRow[] };

/** Application tables present in the engine's result (the engine adds them as they land). */
function appTables(result: ReportData): AppTables {
  const r = result as unknown as Record<string, unknown>;
  const out: AppTables = {};
  for (const t of APP_TABLES) if (Array.isArray(r[t])) out[t] = r[t] as AnyRow[];
  return out;
}

function csvOf(rows: readonly AnyRow[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [...csvRows(cols, rows)].join('');
}

/** Writes everything; returns the number of files written. */
export async function writeReport(
  dir: string,
  indexPath: string,
  result: ReportData,
  opts: ReportOptions,
): Promise<number> {
  const graphsDir = join(dir, 'graphs');
  const tablesDir = join(dir, 'tables');
  try {
    await mkdir(graphsDir, { recursive: true });
    await mkdir(tablesDir, { recursive: true });
  } catch (e) {
    throw new PcaplensError('E_IO', `cannot create ${dir}: ${(e as Error).message}`, { cause: e });
  }
  const { summary, flows, hosts } = result;
  const tags = tagsFromFlows(flows);
  const model = buildGraph(flows, hosts, { tags, maxNodes: opts.maxNodes });
  const full = buildGraph(flows, hosts, { tags });
  const graphSvg = model.nodes.length
    ? await graphToSvg(model, opts.engine, { edgeLabels: model.edges.length <= 60 })
    : null;
  const timeline = timelineFromFlows(flows, { maxBins: 150 });
  const timelinePicture = timelineSvg(timeline, 1100, 300, 'bytes');
  const chordPicture = chordSvg(chordData(full, 12), 760);
  const matrix = matrixData(full, 25);
  const tables = appTables(result);
  const files: [string, string | Uint8Array][] = [];
  if (graphSvg) {
    files.push(['graphs/traffic.svg', graphSvg], ['graphs/traffic.png', svgToPng(graphSvg).data]);
  }
  files.push(
    ['graphs/timeline.svg', timelinePicture],
    ['graphs/chord.svg', chordPicture],
    ['graphs/matrix.svg', matrixSvg(matrix, 1000)],
    ['tables/summary.json', JSON.stringify(summary, null, 2) + '\n'],
    ['tables/flows.csv', csvOf(flows as unknown as AnyRow[], FLOW_COLUMNS)],
    ['tables/flows.json', JSON.stringify(flows) + '\n'],
    ['tables/hosts.csv', csvOf(hosts as unknown as AnyRow[], HOST_COLUMNS)],
    ['tables/hosts.json', JSON.stringify(hosts) + '\n'],
    ['tables/graph.json', toGraphJson(model)],
    ['tables/matrix.csv', matrixCsv(matrix)],
  );
  for (const t of APP_TABLES) {
    const rows = tables[t];
    if (!rows) continue;
    const safe = t === 'credentials' ? maskSecrets(rows, opts.showSecrets) : rows;
    files.push([`tables/${t}.csv`, csvOf(safe)], [`tables/${t}.json`, JSON.stringify(safe) + '\n']);
  }
  const inline = graphSvg ? svgForInline(graphSvg) : null;
  const html = renderReport({
    title: `pcaplens report: ${summary.files.map((f) => f.name.split('/').pop()).join(', ')}`,
    generated: new Date().toISOString(),
    tool: `pcaplens ${version()}`,
    summary,
    flows,
    hosts,
    graph: {
      svg: inline && checkXml(inline).ok ? inline : null,
      note: graphTitle(model) + (model.notes.length ? '. ' + model.notes.join('. ') : ''),
    },
    timeline: {
      svg: timeline.flows ? timelinePicture : null,
      note: 'Flow records carry first and last times, so each flow is spread evenly over its duration.',
    },
    chord: {
      svg: full.edges.length ? chordPicture : null,
      note: 'The 12 busiest hosts by bytes; the rest are "other".',
    },
    topIn: topNodes(full, 'in', 'peers', 20),
    topOut: topNodes(full, 'out', 'peers', 20),
    tables,
    showSecrets: opts.showSecrets,
    files: files.map((f) => f[0]),
  });
  for (const [rel, data] of files) await writeOutput(join(dir, rel), data);
  await writeOutput(indexPath, html);
  return files.length + 1;
}
