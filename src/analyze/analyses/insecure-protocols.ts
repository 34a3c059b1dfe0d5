/**
 * Insecure protocols: logins seen in clear text (credentials rows), sessions of protocols that have no encryption
 * (Telnet, FTP, rlogin/rsh/rexec, TFTP, SNMP v1/v2c), mail protocols that never switched to TLS, HTTP Basic
 * authentication and form posts over plain HTTP, and SSL 3.0 / TLS 1.0 / TLS 1.1 sessions.
 */
import type { FlowRow } from '../../shared/rows.js';
import { flowIds, minMaxTs, plural, type AlertDraft, type AlertSeverity } from '../alert.js';
import type { AnalysisConfig } from '../config.js';
import type { AnalysisInput } from '../input.js';

interface PortRule {
  proto: 'tcp' | 'udp';
  port: number;
  name: string;
  why: string;
  /** mail protocols: fine when upgraded with STARTTLS */
  upgradable?: boolean;
}

const PORT_RULES: PortRule[] = [
  { proto: 'tcp', port: 23, name: 'Telnet', why: 'sends logins and the whole session unencrypted' },
  { proto: 'tcp', port: 21, name: 'FTP', why: 'sends USER/PASS and files unencrypted' },
  { proto: 'tcp', port: 512, name: 'rexec', why: 'sends the password unencrypted' },
  { proto: 'tcp', port: 513, name: 'rlogin', why: 'trusts addresses and sends the session unencrypted' },
  { proto: 'tcp', port: 514, name: 'rsh', why: 'trusts addresses and sends commands unencrypted' },
  { proto: 'udp', port: 69, name: 'TFTP', why: 'has no authentication and no encryption' },
  {
    proto: 'udp',
    port: 161,
    name: 'SNMP',
    why: 'v1/v2c carry the community string in clear text (v3 does not)',
  },
  { proto: 'udp', port: 162, name: 'SNMP trap', why: 'v1/v2c carry the community string in clear text' },
  {
    proto: 'tcp',
    port: 110,
    name: 'POP3',
    why: 'carries the mailbox login unencrypted unless STLS is used',
    upgradable: true,
  },
  {
    proto: 'tcp',
    port: 143,
    name: 'IMAP',
    why: 'carries the mailbox login unencrypted unless STARTTLS is used',
    upgradable: true,
  },
  {
    proto: 'tcp',
    port: 25,
    name: 'SMTP',
    why: 'carries mail (and any AUTH login) unencrypted unless STARTTLS is used',
    upgradable: true,
  },
  {
    proto: 'tcp',
    port: 587,
    name: 'SMTP submission',
    why: 'carries AUTH logins unencrypted unless STARTTLS is used',
    upgradable: true,
  },
];

/** Methods whose secret does not travel in clear text. */
const HASHED = /^(cram-md5|digest|ntlm|ntlmssp|kerberos|krb5|scram|apop|snmpv3|hash)/i;

const WEAK_TLS = new Set(['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1']);

const LOGIN_URI = /log[-_]?in|sign[-_]?in|auth|passw|session|account|wp-login|admin/i;

function pushGrouped(
  out: AlertDraft[],
  groups: Map<string, Group>,
  make: (
    key: string,
    g: Group,
  ) => Omit<AlertDraft, 'first_ts' | 'last_ts' | 'flow_ids' | 'flow_count' | 'hosts'>,
  cap: number,
): void {
  for (const [key, g] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out.push({ ...make(key, g), ...minMaxTs(g.ts), hosts: g.hosts, ...flowIds(g.flows, cap) });
  }
}

type Group = {
  flows: Set<number>;
  ts: { first_ts: string; last_ts: string }[];
  hosts: string[];
  extra: Record<string, unknown>;
};

function addTo(
  m: Map<string, Group>,
  key: string,
  hosts: string[],
  flowId: number,
  first: string,
  last: string,
  extra: Record<string, unknown> = {},
): Group {
  let g = m.get(key);
  if (!g) m.set(key, (g = { flows: new Set(), ts: [], hosts, extra: {} }));
  g.flows.add(flowId);
  g.ts.push({ first_ts: first, last_ts: last });
  for (const [k, v] of Object.entries(extra)) {
    const cur = g.extra[k];
    if (Array.isArray(cur)) {
      if (!cur.includes(v) && cur.length < 20) cur.push(v);
    } else g.extra[k] = [v];
  }
  return g;
}

/** FTP user names of anonymous access (RFC 1635) */
const ANONYMOUS_FTP: ReadonlySet<string> = new Set(['anonymous', 'ftp']);

export function detectInsecureProtocols(input: AnalysisInput, cfg: AnalysisConfig): AlertDraft[] {
  const out: AlertDraft[] = [];
  const cap = cfg.maxFlowIdsPerAlert;
  // the flows the rows below name (credentials, HTTP, TLS), not a map of every flow: a few percent of them
  const wanted = new Set<number>();
  for (const rows of [input.credentials, input.http, input.tls])
    for (const r of rows ?? []) wanted.add(r.flow_id);
  const flowById = new Map<number, FlowRow>();
  if (wanted.size) for (const f of input.flows) if (wanted.has(f.id)) flowById.set(f.id, f);
  const span = (flowId: number, ts: string) => {
    const f = flowById.get(flowId);
    return f ? { first: f.first_ts, last: f.last_ts } : { first: ts, last: ts };
  };

  // 1. Clear-text credentials.
  const creds = new Map<string, Group>();
  const credFlows = new Set<number>();
  for (const c of input.credentials ?? []) {
    if (HASHED.test(c.method)) continue;
    if (c.password === null && c.proto !== 'snmp') continue;
    credFlows.add(c.flow_id);
    const s = span(c.flow_id, c.ts);
    addTo(
      creds,
      `${c.proto}|${c.client_ip}|${c.server_ip}|${c.username ?? ''}`,
      [c.client_ip, c.server_ip],
      c.flow_id,
      s.first,
      s.last,
      {
        method: c.method,
      },
    );
  }
  pushGrouped(
    out,
    creds,
    (key, g) => {
      const [proto, client, server, user] = key.split('|');
      // RFC 1635: anonymous FTP asks for an e-mail address as the password, by convention: no secret is lost
      const anonymous = proto === 'ftp' && ANONYMOUS_FTP.has((user ?? '').toLowerCase());
      const what =
        proto === 'snmp'
          ? 'an SNMP community string'
          : anonymous
            ? `an anonymous login (user "${user}", whose password is by convention an e-mail address, not a secret)`
            : user
              ? `the password of user "${user}"`
              : 'a password';
      return {
        key: `cleartext_credentials|${key}`,
        kind: 'cleartext_credentials',
        severity: anonymous ? 'low' : 'high',
        score: anonymous ? 0.3 : 1,
        heuristic: false,
        explanation: `${client} sent ${what} to ${server} over ${proto!.toUpperCase()} in clear text (${plural(g.flows.size, 'flow')}).`,
        evidence: {
          proto: proto!,
          username: user || null,
          anonymous,
          methods: g.extra['method'] as string[],
          logins: g.ts.length,
        },
        rule: 'cleartext_credentials: a credentials row whose secret travels unhashed (not CRAM-MD5/Digest/NTLM/Kerberos/SCRAM/APOP)',
      };
    },
    cap,
  );

  // 2. Protocol use by port (answered sessions), unless upgraded to TLS.
  if (cfg.insecure.flagPortsWithoutCredentials) {
    const tlsFlows = new Set<number>([
      ...(input.tls ?? []).map((t) => t.flow_id),
      ...(input.starttlsFlowIds ?? []),
    ]);
    const uses = new Map<string, Group>();
    for (const f of input.flows) {
      if (f.packets_rev === 0 || f.dst_port === null) continue;
      const r = PORT_RULES.find((p) => p.proto === f.proto && p.port === f.dst_port);
      if (!r) continue;
      if (r.upgradable && (tlsFlows.has(f.id) || f.app === 'tls')) continue;
      addTo(uses, `${r.name}|${f.src_ip}|${f.dst_ip}`, [f.src_ip, f.dst_ip], f.id, f.first_ts, f.last_ts, {
        credentials: credFlows.has(f.id),
      });
    }
    pushGrouped(
      out,
      uses,
      (key, g) => {
        const [name, client, server] = key.split('|');
        const r = PORT_RULES.find((p) => p.name === name)!;
        const sev: AlertSeverity = r.upgradable ? 'low' : 'medium';
        return {
          key: `insecure_protocol|${key}`,
          kind: 'insecure_protocol',
          severity: sev,
          score: 1,
          heuristic: false,
          explanation: `${client} used ${name} with ${server} (${plural(g.flows.size, 'session')}); ${name} ${r.why}.`,
          evidence: {
            protocol: name!,
            port: r.port,
            transport: r.proto,
            sessions: g.flows.size,
            upgraded_to_tls: false,
            credentials_seen: (g.extra['credentials'] as boolean[]).includes(true),
          },
          rule: `insecure_protocol: answered ${r.proto.toUpperCase()} session to port ${r.port} (${name})${r.upgradable ? ' with no TLS seen on it' : ''}`,
        };
      },
      cap,
    );
  }

  // 3. HTTP Basic auth and form posts over plain HTTP.
  const httpAuth = new Map<string, Group>();
  const forms = new Map<string, Group>();
  for (const h of input.http ?? []) {
    const s = span(h.flow_id, h.ts);
    if (h.auth_user !== null)
      addTo(
        httpAuth,
        `${h.client_ip}|${h.server_ip}|${h.host ?? ''}`,
        [h.client_ip, h.server_ip],
        h.flow_id,
        s.first,
        s.last,
        { user: h.auth_user },
      );
    const ct = (h.request_content_type ?? '').toLowerCase();
    if (
      h.method === 'POST' &&
      (ct.startsWith('application/x-www-form-urlencoded') || ct.startsWith('multipart/form-data'))
    ) {
      addTo(
        forms,
        `${h.client_ip}|${h.server_ip}|${h.host ?? ''}`,
        [h.client_ip, h.server_ip],
        h.flow_id,
        s.first,
        s.last,
        { uri: (h.uri ?? '').slice(0, 200) },
      );
    }
  }
  pushGrouped(
    out,
    httpAuth,
    (key, g) => {
      const [client, server, host] = key.split('|');
      return {
        key: `insecure_protocol|http-basic|${key}`,
        kind: 'insecure_protocol',
        severity: 'high',
        score: 1,
        heuristic: false,
        explanation: `${client} sent HTTP Basic authentication to ${host || server} over plain HTTP (${plural(g.ts.length, 'request')}).`,
        evidence: {
          protocol: 'HTTP Basic auth',
          host: host || null,
          users: g.extra['user'] as string[],
          requests: g.ts.length,
        },
        rule: 'insecure_protocol: HTTP request with an Authorization: Basic header outside TLS',
      };
    },
    cap,
  );
  pushGrouped(
    out,
    forms,
    (key, g) => {
      const [client, server, host] = key.split('|');
      const uris = g.extra['uri'] as string[];
      const login = uris.some((u) => LOGIN_URI.test(u));
      return {
        key: `insecure_protocol|http-form|${key}`,
        kind: 'insecure_protocol',
        severity: login ? 'medium' : 'low',
        score: login ? 0.9 : 0.5,
        heuristic: true,
        explanation: `${client} posted ${plural(g.ts.length, 'form')} to ${host || server} over plain HTTP${login ? ', to what looks like a login page' : ''}.`,
        evidence: {
          protocol: 'HTTP form post',
          host: host || null,
          uris,
          posts: g.ts.length,
          login_like_uri: login,
        },
        rule: 'insecure_protocol: HTTP POST of a form (urlencoded or multipart) outside TLS; medium when the URI looks like a login',
      };
    },
    cap,
  );

  // 4. Old SSL/TLS versions.
  const weak = new Map<string, Group>();
  for (const t of input.tls ?? []) {
    const v = t.version ?? null;
    if (!v || !WEAK_TLS.has(v)) continue;
    const s = span(t.flow_id, t.ts);
    addTo(
      weak,
      `${v}|${t.client_ip}|${t.server_ip}`,
      [t.client_ip, t.server_ip],
      t.flow_id,
      s.first,
      s.last,
      { sni: t.server_name ?? '' },
    );
  }
  pushGrouped(
    out,
    weak,
    (key, g) => {
      const [version, client, server] = key.split('|');
      const snis = (g.extra['sni'] as string[]).filter(Boolean);
      return {
        key: `weak_tls|${key}`,
        kind: 'weak_tls',
        severity: version!.startsWith('SSL') ? 'high' : 'medium',
        score: 1,
        heuristic: false,
        explanation: `${server}${snis.length ? ` (${snis[0]})` : ''} agreed on ${version} with ${client}, a version with known attacks and no modern cipher suites.`,
        evidence: { version: version!, server_names: snis, sessions: g.flows.size },
        rule: 'weak_tls: the server chose SSL 2.0/3.0, TLS 1.0 or TLS 1.1',
      };
    },
    cap,
  );
  return out;
}
