/** Shapes the API returns (mirrors of src/shared rows; the UI imports nothing from the server). */
export interface Capture {
  id: number;
  name: string;
  sha256: string;
  size: number;
  format: string;
  link_types: number[];
  packets: number;
  bytes: number;
  first_ts: string | null;
  last_ts: string | null;
  status: string;
  errors: { code: string; message: string }[];
  created_at: string;
}

export interface Job {
  id: string;
  name: string;
  files: string[];
  size: number;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  capture_id: number | null;
  error: { code: string; message: string } | null;
}

export interface JobProgress {
  id: string;
  state: string;
  bytes: number;
  bytes_total: number;
  packets: number;
  flows: number;
  elapsed_ms: number;
  eta_ms: number | null;
  capture_id: number | null;
  error: { code: string; message: string } | null;
}

export interface Page<R> {
  rows: R[];
  total: number;
}

export type Row = Record<string, unknown>;

export interface Talker {
  ip: string;
  packets_sent: number;
  bytes_sent: number;
  packets_recv: number;
  bytes_recv: number;
  peers: number;
  flows: number;
}

export interface GraphNode {
  id: string;
  addr: string;
  port: number | null;
  proto: string | null;
  bytes: number;
  packets: number;
  flows: number;
  peers: number;
  bytes_out: number;
  bytes_in: number;
  /** host tags (tor-exit, web-server, scanner, ...) and alerts naming the host */
  tags?: string[];
  alerts?: number;
  asn?: number | null;
  as_org?: string | null;
  country?: string | null;
  /** set on a collapsed group node (id "group:<by>:<key>") and on members of an expanded group */
  group?: { by: string; key: string; members: number };
}

export interface GraphEdge {
  source: string;
  target: string;
  src: string;
  dst: string;
  proto: string | null;
  port: number | null;
  flows: number;
  packets: number;
  bytes: number;
  /** insecure (cleartext), tor, alert */
  classes?: string[];
}

export interface Graph {
  layer: 2 | 3 | 4;
  grouped?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

export interface Bucket {
  ts: string;
  group: string | null;
  packets: number;
  bytes: number;
}

export interface Histogram {
  bucket: number;
  first_ts: string | null;
  last_ts: string | null;
  buckets: Bucket[];
}

export interface Column {
  key: string;
  label?: string;
  num?: boolean;
  /** how to show the value (as text) */
  fmt?: (v: unknown, row: Row) => string;
  /** not sortable (arrays, json) */
  nosort?: boolean;
  /** a link instead of text (downloads open as attachments) */
  link?: (row: Row, cid: string) => { href: string; text: string; download?: boolean } | null;
  /** a secret (password): masked until the user reveals that row; never put in a URL or a title */
  secret?: boolean;
}
