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
import type { AppRowTypes, AppTable } from './app-run.js';

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
    switch (table) {
      case 'dns': {
        const r = row as AppRowTypes['dns'];
        this.dns.push({
          flow_id: r.flow_id,
          ts: r.ts,
          client_ip: r.client_ip,
          server_ip: r.server_ip,
          proto: r.proto,
          query_name: r.query_name,
          query_type: r.query_type,
          rcode: r.rcode,
          answers: r.answers,
        });
        break;
      }
      case 'http': {
        const r = row as AppRowTypes['http'];
        this.http.push({
          flow_id: r.flow_id,
          ts: r.ts,
          client_ip: r.client_ip,
          server_ip: r.server_ip,
          server_port: r.server_port,
          method: r.method,
          host: r.host,
          uri: r.uri,
          user_agent: r.user_agent,
          status: r.status,
          request_content_type: r.request_content_type,
          response_content_type: r.response_content_type,
          auth_user: r.auth_user,
        });
        break;
      }
      case 'tls': {
        const r = row as AppRowTypes['tls'];
        this.tls.push({
          flow_id: r.flow_id,
          ts: r.ts,
          client_ip: r.client_ip,
          server_ip: r.server_ip,
          server_port: r.server_port,
          client_version: r.client_version,
          version: r.version,
          server_name: r.server_name,
          cert_subject: r.cert_subject,
          cert_issuer: r.cert_issuer,
          cert_san: r.cert_san,
        });
        break;
      }
      case 'dhcp': {
        const r = row as AppRowTypes['dhcp'];
        this.dhcp.push({
          flow_id: r.flow_id,
          ts: r.ts,
          client_ip: r.client_ip,
          server_ip: r.server_ip,
          msg_type: r.msg_type,
          client_mac: r.client_mac,
          requested_ip: r.requested_ip,
          assigned_ip: r.assigned_ip,
          host_name: r.host_name,
          vendor_class: r.vendor_class,
          param_request_list: r.param_request_list,
          server_id: r.server_id,
        });
        break;
      }
      case 'credentials': {
        const r = row as AppRowTypes['credentials'];
        this.credentials.push({
          flow_id: r.flow_id,
          ts: r.ts,
          client_ip: r.client_ip,
          server_ip: r.server_ip,
          server_port: r.server_port,
          proto: r.proto,
          method: r.method,
          username: r.username,
          password: r.password,
        });
        break;
      }
      case 'files': {
        const r = row as AppRowTypes['files'];
        const f: FileInput = {
          flow_id: r.flow_id,
          ts: r.ts,
          client_ip: r.client_ip,
          server_ip: r.server_ip,
          proto: r.proto,
          name: r.name,
          content_type: r.content_type,
          size: r.size,
          sha256: r.sha256,
          direction: r.direction,
        };
        if (r.magic !== undefined) f.magic = r.magic;
        this.files.push(f);
        break;
      }
      default:
        // ssh (and any later table): read by neither enrichment nor the analyses
        break;
    }
  }
}
