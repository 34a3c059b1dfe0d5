/**
 * Report sections for the application tables (DNS, HTTP, TLS, credentials, files, alerts). A table that the
 * engine did not produce is `undefined` and the section says "not analysed in this version"; an empty array
 * means it was analysed and nothing was found.
 */
import { esc, htmlTable, notAnalysed, section, type CellValue, type Column } from './html.js';
import { ROW_LIMIT } from './sections.js';

export type AnyRow = Record<string, unknown>;

export interface AppTables {
  dns?: readonly AnyRow[];
  http?: readonly AnyRow[];
  tls?: readonly AnyRow[];
  dhcp?: readonly AnyRow[];
  credentials?: readonly AnyRow[];
  files?: readonly AnyRow[];
  alerts?: readonly AnyRow[];
}

export const SECRET_FIELDS = ['password', 'secret', 'hash', 'community', 'token', 'key'];
export const MASK = '•••••• (hidden; use --show-secrets)';

/** Credentials with every secret field replaced, unless the user asked to see them. */
export function maskSecrets(rows: readonly AnyRow[], show: boolean): AnyRow[] {
  if (show) return rows.map((r) => ({ ...r }));
  return rows.map((r) => {
    const o: AnyRow = { ...r };
    for (const k of Object.keys(o)) {
      if (SECRET_FIELDS.some((s) => k.toLowerCase().includes(s)) && o[k] !== null && o[k] !== undefined)
        o[k] = MASK;
    }
    return o;
  });
}

const PREFERRED: Record<keyof AppTables, string[]> = {
  dns: ['ts', 'proto', 'client_ip', 'server_ip', 'query_name', 'query_type', 'rcode', 'answers', 'rtt'],
  http: [
    'ts',
    'client_ip',
    'server_ip',
    'server_port',
    'method',
    'host',
    'uri',
    'status',
    'user_agent',
    'response_content_type',
  ],
  tls: [
    'ts',
    'carrier',
    'client_ip',
    'server_ip',
    'server_port',
    'server_name',
    'version',
    'alpn',
    'ja3',
    'ja4',
    'cert_subject',
  ],
  dhcp: ['ts', 'proto', 'msg_type', 'client_mac', 'requested_ip', 'assigned_ip', 'host_name', 'vendor_class'],
  credentials: [
    'ts',
    'proto',
    'method',
    'client_ip',
    'server_ip',
    'server_port',
    'username',
    'password',
    'detail',
  ],
  files: [
    'ts',
    'proto',
    'direction',
    'name',
    'content_type',
    'size',
    'complete',
    'sha256',
    'client_ip',
    'server_ip',
  ],
  alerts: ['severity', 'kind', 'first_ts', 'hosts', 'explanation', 'rule', 'score'],
};

function columnsFor(table: keyof AppTables, rows: readonly AnyRow[]): Column<AnyRow>[] {
  const present = new Set(rows.flatMap((r) => Object.keys(r)));
  let keys = PREFERRED[table].filter((k) => present.has(k));
  if (keys.length === 0) keys = [...present].slice(0, 12);
  return keys.map((k) => ({
    title: k,
    value: (r: AnyRow) => r[k] as CellValue,
    numeric: rows.every((r) => typeof r[k] === 'number' || r[k] === null || r[k] === undefined),
    html:
      table === 'alerts' && k === 'severity'
        ? (r: AnyRow) => `<span class="sev-${esc(String(r[k]))}">${esc(String(r[k]))}</span>`
        : table === 'credentials' && r0IsMasked(k)
          ? (r: AnyRow) =>
              r[k] === MASK ? `<span class="secret">${esc(MASK)}</span>` : esc(String(r[k] ?? ''))
          : undefined,
  }));
}

function r0IsMasked(k: string): boolean {
  return SECRET_FIELDS.some((s) => k.toLowerCase().includes(s));
}

export const TITLES: Record<keyof AppTables, string> = {
  dns: 'DNS',
  http: 'HTTP',
  tls: 'TLS',
  dhcp: 'DHCP',
  credentials: 'Credentials',
  files: 'Files',
  alerts: 'Alerts',
};

export const APP_TABLES = Object.keys(TITLES) as (keyof AppTables)[];

export function appSection(
  table: keyof AppTables,
  rows: readonly AnyRow[] | undefined,
  showSecrets: boolean,
): string {
  const title = TITLES[table];
  if (rows === undefined) return section(table, title, notAnalysed(title));
  if (rows.length === 0)
    return section(table, title, `<p class="empty">No ${esc(title)} records in these captures.</p>`);
  const shown = table === 'credentials' ? maskSecrets(rows, showSecrets) : rows;
  let note = '';
  if (table === 'credentials') {
    note = showSecrets
      ? '<p class="note">Secrets are shown in clear (--show-secrets). Handle this file accordingly.</p>'
      : '<p class="note">Passwords and other secrets are masked; run with --show-secrets to include them.</p>';
  }
  return section(table, title, note + htmlTable(columnsFor(table, shown), shown, ROW_LIMIT));
}
