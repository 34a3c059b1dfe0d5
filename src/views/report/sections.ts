/** Report sections built from the capture summary, flows and hosts. */
import type { CaptureSummary, FlowRow, HostRow } from '../../shared/rows.js';
import type { StoredHostRow } from '../../shared/store-rows.js';
import { groupDigits, humanBytes } from '../format.js';
import type { TopRow } from '../top.js';
import { definitionList, esc, htmlTable, section, type Column } from './html.js';

export const ROW_LIMIT = 500;

export function summarySection(s: CaptureSummary): string {
  const items: [string, string][] = [
    ['Files', s.files.map((f) => `${f.name} (${f.format}, ${groupDigits(f.packets)} packets)`).join('; ')],
    ['Packets', groupDigits(s.packets)],
    ['Bytes on the wire', `${groupDigits(s.bytes)} (${humanBytes(s.bytes)})`],
    ['First packet', s.first_ts ?? '-'],
    ['Last packet', s.last_ts ?? '-'],
    ['Duration', `${s.duration.toFixed(3)} s`],
    ['Conversations (flows)', groupDigits(s.flows)],
    ['Hosts', groupDigits(s.hosts)],
    ['Problems', String(s.problems.length)],
  ];
  let body = definitionList(items);
  if (s.problems.length) {
    body += '<h3>Problems reading the input</h3>';
    body += htmlTable(
      [
        { title: 'file', value: (p) => p.file },
        { title: 'offset', value: (p) => p.offset, numeric: true },
        { title: 'code', value: (p) => p.code },
        { title: 'message', value: (p) => p.message },
      ],
      s.problems,
      100,
    );
  }
  if (s.enrichment_sources?.length) {
    body += '<h3>Enrichment data</h3>';
    body += htmlTable(
      [
        { title: 'kind', value: (e) => e.kind },
        { title: 'source', value: (e) => e.name },
        { title: 'version', value: (e) => e.version },
        { title: 'date', value: (e) => e.date },
        { title: 'licence', value: (e) => e.licence },
      ],
      s.enrichment_sources,
      100,
    );
  }
  return section('summary', 'Summary', body);
}

export function protocolSection(s: CaptureSummary): string {
  const rows = Object.entries(s.protocols).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (rows.length === 0) return section('protocols', 'Protocols', '<p class="empty">No protocol counts.</p>');
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const cols: Column<[string, number]>[] = [
    { title: 'protocol', value: (r) => r[0] },
    { title: 'frames', value: (r) => r[1], numeric: true },
    {
      title: '% of frames',
      value: (r) => (s.packets ? ((100 * r[1]) / s.packets).toFixed(1) : '-'),
      numeric: true,
    },
    {
      title: '',
      value: () => '',
      html: (r) => `<span class="bar" style="width:${Math.round((200 * r[1]) / max)}px"></span>`,
    },
  ];
  return section('protocols', 'Protocols', htmlTable(cols, rows, ROW_LIMIT));
}

/** Device details, shown when the hosts were enriched (vendor, OS hints, roles and other tags, location). */
const DEVICE_COLUMNS: Column<StoredHostRow>[] = [
  { title: 'vendor', value: (h) => h.vendor ?? null },
  { title: 'OS guess', value: (h) => h.os_guess ?? null },
  { title: 'role / tags', value: (h) => h.tags ?? null },
  { title: 'address class', value: (h) => h.address_class ?? null },
  { title: 'country', value: (h) => [h.city, h.country].filter(Boolean).join(', ') || null },
  { title: 'AS', value: (h) => (h.asn ? `AS${h.asn} ${h.as_org ?? ''}`.trim() : null) },
];

export function hostsSection(hosts: readonly HostRow[]): string {
  const rows = [...hosts].sort(
    (a, b) => b.bytes_sent + b.bytes_recv - (a.bytes_sent + a.bytes_recv) || (a.ip < b.ip ? -1 : 1),
  );
  const enriched = rows.some((h) => 'address_class' in h);
  const cols: Column<StoredHostRow>[] = [
    { title: 'address', value: (h) => h.ip },
    { title: 'MACs', value: (h) => h.macs },
    ...(enriched ? DEVICE_COLUMNS : []),
    { title: 'names', value: (h) => h.names },
    { title: 'packets sent', value: (h) => h.packets_sent, numeric: true },
    { title: 'bytes sent', value: (h) => h.bytes_sent, numeric: true },
    { title: 'packets recv', value: (h) => h.packets_recv, numeric: true },
    { title: 'bytes recv', value: (h) => h.bytes_recv, numeric: true },
    { title: 'peers', value: (h) => h.peers, numeric: true },
    { title: 'server ports', value: (h) => h.server_ports },
    { title: 'first', value: (h) => h.first_ts },
    { title: 'last', value: (h) => h.last_ts },
  ];
  const body = rows.length ? htmlTable(cols, rows, ROW_LIMIT) : '<p class="empty">No hosts.</p>';
  return section('hosts', 'Hosts and devices', body);
}

export function conversationsSection(flows: readonly FlowRow[]): string {
  const rows = [...flows].sort(
    (a, b) => b.bytes_fwd + b.bytes_rev - (a.bytes_fwd + a.bytes_rev) || a.id - b.id,
  );
  const cols: Column<FlowRow>[] = [
    { title: 'id', value: (f) => f.id, numeric: true },
    { title: 'proto', value: (f) => f.proto },
    { title: 'app', value: (f) => f.app },
    { title: 'source', value: (f) => endpoint(f.src_ip, f.src_port) },
    { title: 'destination', value: (f) => endpoint(f.dst_ip, f.dst_port) },
    { title: 'packets →', value: (f) => f.packets_fwd, numeric: true },
    { title: 'bytes →', value: (f) => f.bytes_fwd, numeric: true },
    { title: 'packets ←', value: (f) => f.packets_rev, numeric: true },
    { title: 'bytes ←', value: (f) => f.bytes_rev, numeric: true },
    { title: 'first', value: (f) => f.first_ts },
    { title: 'duration s', value: (f) => f.duration.toFixed(3), numeric: true },
    { title: 'TCP state', value: (f) => f.tcp_state },
  ];
  const body = rows.length
    ? `<p class="muted">Busiest first (bytes both ways).</p>` + htmlTable(cols, rows, ROW_LIMIT)
    : '<p class="empty">No conversations.</p>';
  return section('conversations', 'Conversations', body);
}

function endpoint(ip: string, port: number | null): string {
  if (port === null) return ip;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function topSection(inRows: readonly TopRow[], outRows: readonly TopRow[]): string {
  const cols = (what: string): Column<TopRow>[] => [
    { title: 'host', value: (r) => r.node },
    { title: 'names', value: (r) => r.names },
    { title: what, value: (r) => r.value, numeric: true },
    { title: 'bytes in', value: (r) => r.bytes_in, numeric: true },
    { title: 'bytes out', value: (r) => r.bytes_out, numeric: true },
  ];
  return section(
    'top',
    'Top talkers',
    '<h3>Most contacted (distinct peers that started flows to them)</h3>' +
      htmlTable(cols('peers in'), inRows, 20) +
      '<h3>Most contacting (distinct peers they started flows to)</h3>' +
      htmlTable(cols('peers out'), outRows, 20),
  );
}

/** A figure whose SVG was produced by our own renderers (already escaped); `note` is plain text. */
export function figureSection(id: string, title: string, svg: string | null, note: string): string {
  const body =
    (note ? `<p class="note">${esc(note)}</p>` : '') +
    (svg ? `<div class="figure">${svg}</div>` : '<p class="empty">Nothing to draw.</p>');
  return section(id, title, body);
}
