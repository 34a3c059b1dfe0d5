/**
 * What an import keeps for enrichment and the alert analyses once its rows are written: every flow (the
 * analyses read flows whole) and, of each application row, only the columns they read (the *Input shapes of
 * enrich/name-inputs.ts, a fraction of the row: no questions, headers, certificate chains, ...). SSH rows are
 * not read by either and are not kept. enrichRun over these gives what it gives over the whole rows.
 */
import type { FlowRow } from '../shared/rows.js';
import type {
  CredentialInput,
  DhcpInput,
  DnsInput,
  FileInput,
  HttpInput,
  TlsInput,
} from '../enrich/name-inputs.js';
import type { AppRowTypes, AppTable } from './app-tables.js';

/** The columns of each application row that enrichment and the alert analyses read. */
const KEPT = {
  dns: ['flow_id', 'ts', 'client_ip', 'server_ip', 'proto', 'query_name', 'query_type', 'rcode', 'answers'],
  http: [
    'flow_id',
    'ts',
    'client_ip',
    'server_ip',
    'server_port',
    'method',
    'host',
    'uri',
    'user_agent',
    'status',
    'request_content_type',
    'response_content_type',
    'auth_user',
  ],
  tls: [
    'flow_id',
    'ts',
    'client_ip',
    'server_ip',
    'server_port',
    'client_version',
    'version',
    'server_name',
    'cert_subject',
    'cert_issuer',
    'cert_san',
  ],
  dhcp: [
    'flow_id',
    'ts',
    'client_ip',
    'server_ip',
    'msg_type',
    'client_mac',
    'requested_ip',
    'assigned_ip',
    'host_name',
    'vendor_class',
    'param_request_list',
    'server_id',
  ],
  credentials: [
    'flow_id',
    'ts',
    'client_ip',
    'server_ip',
    'server_port',
    'proto',
    'method',
    'username',
    'password',
  ],
  files: [
    'flow_id',
    'ts',
    'client_ip',
    'server_ip',
    'proto',
    'name',
    'content_type',
    'size',
    'sha256',
    'direction',
    'magic',
  ],
} satisfies {
  dns: (keyof DnsInput)[];
  http: (keyof HttpInput)[];
  tls: (keyof TlsInput)[];
  dhcp: (keyof DhcpInput)[];
  credentials: (keyof CredentialInput)[];
  files: (keyof FileInput)[];
};

/** Every column of the input shapes is kept: a shape with a column missing from its list does not compile. */
type Unlisted<I, L extends readonly PropertyKey[]> = Exclude<keyof I, L[number]>;
const _complete: Record<
  | Unlisted<DnsInput, typeof KEPT.dns>
  | Unlisted<HttpInput, typeof KEPT.http>
  | Unlisted<TlsInput, typeof KEPT.tls>
  | Unlisted<DhcpInput, typeof KEPT.dhcp>
  | Unlisted<CredentialInput, typeof KEPT.credentials>
  | Unlisted<FileInput, typeof KEPT.files>,
  never
> = {};
void _complete;

/** The named columns of a row (an absent optional column stays absent). */
function pick<T>(row: object, keys: readonly string[]): T {
  const r = row as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (r[k] !== undefined) out[k] = r[k];
  return out as T;
}

export class EnrichInputs {
  readonly flows: FlowRow[] = [];
  readonly dns: DnsInput[] = [];
  readonly http: HttpInput[] = [];
  readonly tls: TlsInput[] = [];
  readonly dhcp: DhcpInput[] = [];
  readonly credentials: CredentialInput[] = [];
  readonly files: FileInput[] = [];

  flow(r: FlowRow): void {
    this.flows.push(r);
  }

  row<T extends AppTable>(table: T, row: AppRowTypes[T]): void {
    // ssh (and any later table) is read by neither enrichment nor the analyses
    if (!(table in KEPT)) return;
    const t = table as keyof typeof KEPT;
    (this[t] as object[]).push(pick(row, KEPT[t]));
  }
}
