import { bytes, count, duration, time } from '../../lib/format.ts';
import type { Column, Row } from '../../lib/types.ts';

/** Columns shown for each table (the API returns more; these are the ones worth a glance). */
const n = (key: string, label?: string): Column => ({
  key,
  label,
  num: true,
  fmt: (v) => count(v as number),
});
const b = (key: string, label?: string): Column => ({
  key,
  label,
  num: true,
  fmt: (v) => bytes(v as number),
});
const t = (key: string, label?: string): Column => ({ key, label, fmt: (v) => time(v as string) });
const s = (key: string, label?: string): Column => ({ key, label });
const arr = (key: string, label?: string): Column => ({ key, label, nosort: true });
const endpoint = (ip: string, port: string, label: string): Column => ({
  key: ip,
  label,
  fmt: (v, r: Row) =>
    r[port] === null || r[port] === undefined ? String(v ?? '') : `${String(v)}:${String(r[port])}`,
});

export const COLUMNS: Record<string, Column[]> = {
  hosts: [
    s('ip', 'address'),
    {
      key: 'names',
      label: 'names',
      nosort: true,
      fmt: (v) => ((v as { name: string }[]) ?? []).map((x) => x.name).join(', '),
    },
    s('vendor'),
    s('country'),
    b('bytes_sent', 'sent'),
    b('bytes_recv', 'received'),
    n('packets_sent', 'pkts sent'),
    n('packets_recv', 'pkts recv'),
    n('peers'),
    arr('server_ports', 'server ports'),
    t('first_ts', 'first seen'),
    t('last_ts', 'last seen'),
  ],
  flows: [
    n('id'),
    s('proto'),
    endpoint('src_ip', 'src_port', 'source'),
    endpoint('dst_ip', 'dst_port', 'destination'),
    s('app'),
    // the API's flow rows carry each direction; the sums are sort keys only
    {
      key: 'packets',
      num: true,
      fmt: (_v, r) => count(Number(r.packets_fwd ?? 0) + Number(r.packets_rev ?? 0)),
    },
    { key: 'bytes', num: true, fmt: (_v, r) => bytes(Number(r.bytes_fwd ?? 0) + Number(r.bytes_rev ?? 0)) },
    { key: 'duration', num: true, fmt: (v) => duration(v as number) },
    s('tcp_state', 'tcp state'),
    t('first_ts', 'start'),
  ],
  dns: [
    t('ts', 'time'),
    endpoint('client_ip', 'client_port', 'client'),
    s('server_ip', 'server'),
    s('query_name', 'query'),
    s('query_type', 'type'),
    s('rcode'),
    arr('answers'),
    { key: 'rtt', num: true, fmt: (v) => duration(v as number) },
  ],
  http: [
    t('ts', 'time'),
    s('client_ip', 'client'),
    endpoint('server_ip', 'server_port', 'server'),
    s('method'),
    s('host'),
    s('uri'),
    n('status'),
    s('response_content_type', 'content type'),
    b('response_body_len', 'body'),
    s('user_agent', 'user agent'),
  ],
  tls: [
    t('ts', 'time'),
    s('client_ip', 'client'),
    endpoint('server_ip', 'server_port', 'server'),
    s('server_name', 'SNI'),
    s('version'),
    arr('alpn', 'ALPN'),
    s('cipher'),
    s('ja3'),
    s('ja4'),
    s('cert_subject', 'certificate'),
  ],
  dhcp: [
    t('ts', 'time'),
    s('msg_type', 'message'),
    s('client_mac', 'client MAC'),
    s('assigned_ip', 'assigned'),
    s('requested_ip', 'requested'),
    s('host_name', 'host name'),
    s('vendor_class', 'vendor class'),
    s('server_id', 'server'),
  ],
  credentials: [
    t('ts', 'time'),
    s('proto'),
    s('method'),
    s('client_ip', 'client'),
    endpoint('server_ip', 'server_port', 'server'),
    s('username', 'user'),
    { key: 'password', secret: true, nosort: true },
    s('detail'),
  ],
  files: [
    t('ts', 'time'),
    s('proto'),
    s('name'),
    {
      key: 'file_id',
      label: 'download',
      nosort: true,
      link: (r, cid) =>
        typeof r.file_id === 'string'
          ? {
              href: `/api/captures/${encodeURIComponent(cid)}/files/${encodeURIComponent(r.file_id)}`,
              text: 'download',
              download: true,
            }
          : null,
    },
    s('content_type', 'type'),
    b('size'),
    s('sha256'),
    s('direction'),
    s('client_ip', 'client'),
    s('server_ip', 'server'),
  ],
  alerts: [
    t('ts', 'time'),
    s('severity'),
    s('rule'),
    s('title'),
    s('client_ip', 'client'),
    s('server_ip', 'server'),
    s('detail'),
  ],
  ssh: [
    t('ts', 'time'),
    s('client_ip', 'client'),
    endpoint('server_ip', 'server_port', 'server'),
    s('client_banner', 'client'),
    s('server_banner', 'server software'),
    s('hassh'),
    s('hassh_server', 'HASSH server'),
  ],
  packets: [
    n('n', 'no.'),
    t('ts', 'time'),
    n('len', 'length'),
    n('caplen', 'captured'),
    s('protocol'),
    n('flow_id', 'flow'),
    n('file_offset', 'offset'),
  ],
};

/** Default sort of each table ('-' = descending). */
export const DEFAULT_SORT: Record<string, string> = {
  hosts: '-bytes_sent',
  flows: '',
  dns: '',
  http: '',
  tls: '',
  dhcp: '',
  credentials: '',
  files: '',
  alerts: '',
  ssh: '',
  packets: '',
};
