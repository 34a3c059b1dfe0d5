/**
 * The self-contained HTML report: one file with inline CSS and inline SVG, no script, no external URL, a
 * Content-Security-Policy that forbids both, so it opens safely from disk. Pure: data in, HTML text out.
 */
import type { CaptureSummary, FlowRow, HostRow } from '../../shared/rows.js';
import type { TopRow } from '../top.js';
import { APP_TABLES, appSection, TITLES, type AppTables } from './app-sections.js';
import { esc, REPORT_CSP, REPORT_CSS } from './html.js';
import {
  conversationsSection,
  figureSection,
  hostsSection,
  protocolSection,
  summarySection,
  topSection,
} from './sections.js';

export interface ReportFigure {
  /** SVG markup made by our renderers (text already escaped); null when there is nothing to draw */
  svg: string | null;
  /** plain-text remark shown above the figure (grouping, approximations) */
  note: string;
}

export interface ReportInput {
  title: string;
  /** ISO time the report was made */
  generated: string;
  tool: string;
  summary: CaptureSummary;
  flows: readonly FlowRow[];
  hosts: readonly HostRow[];
  graph: ReportFigure;
  timeline: ReportFigure;
  chord: ReportFigure;
  topIn: readonly TopRow[];
  topOut: readonly TopRow[];
  tables: AppTables;
  showSecrets: boolean;
  /** relative paths of the side files (graphs/..., tables/...) to list at the end */
  files: readonly string[];
}

export function renderReport(r: ReportInput): string {
  const nav: [string, string][] = [
    ['summary', 'Summary'],
    ['protocols', 'Protocols'],
    ['hosts', 'Hosts'],
    ['graph', 'Graph'],
    ['top', 'Top talkers'],
    ['conversations', 'Conversations'],
    ['timeline', 'Timeline'],
    ['chord', 'Chord'],
    ...APP_TABLES.map((t): [string, string] => [t, TITLES[t]]),
    ['outputs', 'Files'],
  ];
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(r.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head><body>',
    `<header><h1>${esc(r.title)}</h1><p>${esc(`Made by ${r.tool} on ${r.generated}`)}</p></header>`,
    '<nav>' + nav.map(([id, t]) => `<a href="#${esc(id)}">${esc(t)}</a>`).join('') + '</nav>',
    '<main>',
    summarySection(r.summary),
    protocolSection(r.summary),
    hostsSection(r.hosts),
    figureSection('graph', 'Traffic graph', r.graph.svg, r.graph.note),
    topSection(r.topIn, r.topOut),
    conversationsSection(r.flows),
    figureSection('timeline', 'Timeline', r.timeline.svg, r.timeline.note),
    figureSection('chord', 'Traffic between the busiest hosts', r.chord.svg, r.chord.note),
    ...APP_TABLES.map((t) => appSection(t, r.tables[t], r.showSecrets)),
    `<section id="outputs"><h2>Files next to this report</h2><ul>${r.files
      .map((f) => `<li><a href="${esc(encodeURI(f))}">${esc(f)}</a></li>`)
      .join('')}</ul></section>`,
    '</main></body></html>',
  ];
  return parts.join('\n') + '\n';
}
