/**
 * The application tables (named as the store's tables), their row types, and the sinks that take their rows:
 * what the engine and the commands name without running the application layer (engine/app-run.ts), which
 * loads every parser.
 */
import type {
  CredentialRow,
  DhcpRow,
  DnsRow,
  FileRow,
  HttpRow,
  NtpRow,
  SipRow,
  SmbRow,
  SshRow,
  TlsRow,
} from '../shared/app-rows.js';
import { FLOW_ROW_TABLES } from '../shared/filter/bindings.js';

/** The application tables, named as the store's tables. */
export const APP_TABLES = FLOW_ROW_TABLES;
export type AppTable = (typeof APP_TABLES)[number];

export interface AppRowTypes {
  dns: DnsRow;
  http: HttpRow;
  tls: TlsRow;
  dhcp: DhcpRow;
  credentials: CredentialRow;
  files: FileRow;
  ssh: SshRow;
  smb: SmbRow;
  sip: SipRow;
  ntp: NtpRow;
}
export type AppRows = { [T in AppTable]: AppRowTypes[T][] };
export type AppRowSink = <T extends AppTable>(table: T, row: AppRowTypes[T]) => void;

/**
 * An AppRowSink that takes the rows of `tables` only (a table command, or the summary with none): the layer
 * then does not make the other tables' rows, and skips the parsers that only feed them. Parsers whose state
 * steers reassembly (TLS, the line protocols) still run, so the reassembly problems stay the same.
 */
export type TableRowSink = AppRowSink & { readonly tables: readonly AppTable[] };

export function onlyTables(tables: readonly AppTable[], sink: AppRowSink): TableRowSink {
  const put: AppRowSink = (table, row) => sink(table, row);
  return Object.assign(put, { tables: [...tables] });
}

export function emptyAppRows(): AppRows {
  return Object.fromEntries(APP_TABLES.map((t) => [t, []])) as unknown as AppRows;
}
