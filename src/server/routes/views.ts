import type { FastifyInstance } from 'fastify';
import { PcaplensError } from '../../shared/errors.js';
import { TABLE_NAMES, type TableName } from '../../shared/filter/index.js';
import type { StoredHostRow } from '../../shared/store-rows.js';
import type { HistogramBucket } from '../../store/store.js';
import { bucketWidth, spanSeconds } from '../aggregate/buckets.js';
import { buildGraphOut } from '../aggregate/graph.js';
import { groupGraph, type GroupBy } from '../aggregate/graph-groups.js';
import { insecureClause, markGraph } from '../aggregate/graph-marks.js';
import { chordOf, treemapOf } from '../aggregate/hierarchy.js';
import { geoArcs } from '../aggregate/geo-arcs.js';
import type { ServerContext } from '../context.js';
import type { CaptureRow } from '../../shared/store-rows.js';
import { cachedAnswer, responseCacheOf } from '../cache/answer.js';
import { SCOPE_QUERY_SCHEMA, scopeOf, type ScopeParams } from '../scope.js';
import type { JsonSchema } from '../api-doc.js';

/**
 * Aggregations behind the views. Every one reads flows (the filter is checked against the flows table)
 * within the same filter and time range, so the views of one workspace always agree.
 */
const ID = { id: { type: 'string', pattern: '^\\d{1,15}$' } };
const GRAPH_EDGE_LIMIT = 20_000;

type Q = ScopeParams & Record<string, string | number | undefined>;

function num(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

/** Sums packets/bytes per group over a histogram. */
function byGroup(buckets: readonly HistogramBucket[]): { name: string; packets: number; bytes: number }[] {
  const m = new Map<string, { name: string; packets: number; bytes: number }>();
  for (const b of buckets) {
    const name = b.group ?? 'unknown';
    const g = m.get(name) ?? m.set(name, { name, packets: 0, bytes: 0 }).get(name)!;
    g.packets += b.packets;
    g.bytes += b.bytes;
  }
  return [...m.values()].sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
}

export function viewRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store, doc } = ctx;
  responseCacheOf(ctx);
  const add = (
    url: string,
    summary: string,
    query: Record<string, JsonSchema>,
    response: JsonSchema,
    handler: (capture: CaptureRow, q: Q) => Promise<unknown>,
  ) =>
    doc.add(
      app,
      {
        method: 'GET',
        url: `/api/captures/:id/${url}`,
        tag: 'views',
        summary,
        params: ID,
        query: { ...SCOPE_QUERY_SCHEMA, ...query },
        responses: { '200': [summary, response], '400': ['E_FILTER or E_USAGE'], '404': ['E_NOT_FOUND'] },
      },
      (req, reply) =>
        cachedAnswer(ctx, `view:${url}`, req, reply, (capture) => handler(capture, req.query as Q)),
    );

  add(
    'summary',
    'Summary: counts per table, application and transport protocols, top talkers, first alerts',
    {},
    { type: 'object' },
    async (capture, q) => {
      const flowScope = scopeOf(capture, 'flows', q);
      const span = spanSeconds(flowScope.from ?? capture.first_ts, flowScope.to ?? capture.last_ts);
      // one bucket wider than the whole span: packets and bytes per group over the capture
      const whole = Math.max(1, Math.ceil(span) + 1) * 2;
      const counts: Record<string, number | null> = {};
      await Promise.all(
        TABLE_NAMES.map(async (t: TableName) => {
          try {
            counts[t] = await store.countRows(t, scopeOf(capture, t, q));
          } catch (e) {
            if ((e as { code?: string }).code !== 'E_FILTER') throw e;
            counts[t] = null; // the filter names fields this table does not have
          }
        }),
      );
      const [apps, transports, top] = await Promise.all([
        store.timeHistogram({ ...flowScope, bucketSec: whole, groupBy: 'app' }),
        store.timeHistogram({ ...flowScope, bucketSec: whole, groupBy: 'proto' }),
        store.topTalkers({ ...flowScope, by: 'bytes', n: 10 }),
      ]);
      let alerts: unknown[] = [];
      try {
        alerts = (await store.page('alerts', { ...scopeOf(capture, 'alerts', q), limit: 20 })).rows;
      } catch (e) {
        if ((e as { code?: string }).code !== 'E_FILTER') throw e;
      }
      return { capture, counts, apps: byGroup(apps), transports: byGroup(transports), top, alerts };
    },
  );

  add(
    'graph',
    'Network graph: nodes (addresses, or services at layer 4) and edges with flows, packets, bytes; hosts carry their tags and alert counts, edges their classes (insecure, tor, alert); optionally collapsed into groups',
    {
      layer: { type: 'integer', enum: [2, 3, 4], default: 3 },
      limit: { type: 'integer', minimum: 1, maximum: GRAPH_EDGE_LIMIT, default: 2000 },
      group: {
        type: 'string',
        enum: ['none', 'subnet', 'asn', 'country'],
        default: 'none',
        description: 'collapse addresses by /24 (/64) subnet, AS or country',
      },
      expand: {
        type: 'string',
        maxLength: 8192,
        description: 'group node ids (comma-separated) whose members stay individual',
      },
    },
    {
      type: 'object',
      properties: {
        nodes: { type: 'array' },
        edges: { type: 'array' },
        truncated: { type: 'boolean' },
        grouped: { type: 'string' },
      },
    },
    async (capture, q) => {
      const layer = num(q.layer, 3) as 2 | 3 | 4;
      const limit = num(q.limit, 2000);
      const scope = scopeOf(capture, 'flows', q);
      const insecureScope = scopeOf(capture, 'flows', {
        ...q,
        filter: q.filter?.trim() ? `(${q.filter}) and (${insecureClause()})` : insecureClause(),
      });
      const [edges, insecure, facts] = await Promise.all([
        store.graphEdges({ ...scope, layer, limit }),
        layer === 2 ? [] : store.graphEdges({ ...insecureScope, layer: 3, limit }),
        ctx.facts.get(capture.id, capture.created_at),
      ]);
      const marked = markGraph(buildGraphOut(edges, layer, limit), facts, insecure);
      const by = String(q.group ?? 'none');
      if (by === 'none' || layer === 2) return marked;
      const expand = new Set(
        String(q.expand ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
      return groupGraph(marked, by as GroupBy, expand);
    },
  );

  add(
    'histogram',
    'Packets and bytes over time, per transport or application protocol',
    {
      bucket: {
        type: 'number',
        minimum: 0.000001,
        maximum: 1e9,
        description: 'bucket width in seconds; default: span / bins',
      },
      bins: { type: 'integer', minimum: 1, maximum: 2000, default: 200 },
      group: { type: 'string', enum: ['proto', 'app', 'none'], default: 'proto' },
    },
    { type: 'object', properties: { bucket: { type: 'number' }, buckets: { type: 'array' } } },
    async (capture, q) => {
      const scope = scopeOf(capture, 'flows', q);
      const span = spanSeconds(scope.from ?? capture.first_ts, scope.to ?? capture.last_ts);
      const bucket = typeof q.bucket === 'number' ? q.bucket : bucketWidth(span, num(q.bins, 200));
      const group = q.group === 'none' ? undefined : ((q.group ?? 'proto') as 'proto' | 'app');
      const buckets = await store.timeHistogram({ ...scope, bucketSec: bucket, groupBy: group });
      return { bucket, first_ts: capture.first_ts, last_ts: capture.last_ts, buckets };
    },
  );

  add(
    'top',
    'Top talkers by bytes, packets or distinct peers',
    {
      by: { type: 'string', enum: ['bytes', 'packets', 'peers'], default: 'bytes' },
      direction: { type: 'string', enum: ['sent', 'recv', 'both'], default: 'both' },
      n: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
    },
    { type: 'array' },
    async (capture, q) => {
      return store.topTalkers({
        ...scopeOf(capture, 'flows', q),
        by: (q.by ?? 'bytes') as 'bytes',
        direction: (q.direction ?? 'both') as 'both',
        n: num(q.n, 10),
      });
    },
  );

  add(
    'conversations',
    'Direction-free address pairs with traffic each way (as Wireshark Conversations)',
    {
      layer: { type: 'integer', enum: [2, 3], default: 3 },
      sort: { type: 'string', pattern: '^-?(bytes|packets|flows|first_ts|duration)$', default: '-bytes' },
      limit: { type: 'integer', minimum: 0, maximum: 10000, default: 100 },
      offset: { type: 'integer', minimum: 0, default: 0 },
    },
    { type: 'object', properties: { rows: { type: 'array' }, total: { type: 'integer' } } },
    async (capture, q) => {
      const s = String(q.sort ?? '-bytes');
      return store.conversations({
        ...scopeOf(capture, 'flows', q),
        layer: num(q.layer, 3) as 2 | 3,
        sort: { column: s.replace(/^-/, '') as 'bytes', desc: s.startsWith('-') },
        limit: num(q.limit, 100),
        offset: num(q.offset, 0),
      });
    },
  );

  add(
    'treemap',
    'Bytes as a hierarchy: network (/16) -> subnet (/24) -> host -> service (proto/port)',
    {},
    {
      type: 'object',
      properties: { name: { type: 'string' }, value: { type: 'number' }, children: { type: 'array' } },
    },
    async (capture, q) => {
      const edges = await store.graphEdges({
        ...scopeOf(capture, 'flows', q),
        layer: 4,
        limit: GRAPH_EDGE_LIMIT,
      });
      return treemapOf(edges);
    },
  );

  add(
    'chord',
    'Bytes between the busiest hosts (symmetric matrix), the rest folded into "other"',
    { n: { type: 'integer', minimum: 1, maximum: 50, default: 10 } },
    {
      type: 'object',
      properties: { labels: { type: 'array' }, matrix: { type: 'array' }, has_other: { type: 'boolean' } },
    },
    async (capture, q) => {
      const edges = await store.graphEdges({
        ...scopeOf(capture, 'flows', q),
        layer: 3,
        limit: GRAPH_EDGE_LIMIT,
      });
      return chordOf(edges, num(q.n, 10));
    },
  );

  add(
    'geo',
    'Hosts with a location (from GeoIP enrichment), busiest first, and arcs between located hosts or from the unlocated (private) side; empty when the capture has none',
    {
      limit: { type: 'integer', minimum: 1, maximum: 10000, default: 2000 },
      arcs: { type: 'integer', minimum: 0, maximum: 5000, default: 500 },
    },
    {
      type: 'object',
      properties: {
        points: { type: 'array' },
        located: { type: 'integer' },
        hosts: { type: 'integer' },
        arcs: {
          type: 'array',
          description: 'src/dst: a located host ip, or null for hosts without a location (private addresses)',
        },
      },
    },
    async (capture, q) => {
      const flowScope = scopeOf(capture, 'flows', q);
      const [page, edges] = await Promise.all([
        store.page('hosts', {
          ...scopeOf(capture, 'hosts', q),
          sort: [{ column: 'bytes_sent', desc: true }],
          limit: num(q.limit, 2000),
        }),
        num(q.arcs, 500) > 0
          ? store.graphEdges({ ...flowScope, layer: 3, limit: GRAPH_EDGE_LIMIT })
          : Promise.resolve([]),
      ]);
      const points = page.rows
        .filter((h: StoredHostRow) => typeof h.lat === 'number' && typeof h.lon === 'number')
        .map((h: StoredHostRow) => ({
          ip: h.ip,
          lat: h.lat,
          lon: h.lon,
          country: h.country ?? null,
          city: h.city ?? null,
          as_org: h.as_org ?? null,
          bytes: h.bytes_sent + h.bytes_recv,
        }));
      const located = new Set(points.map((p) => p.ip));
      return {
        points,
        located: points.length,
        hosts: page.total,
        arcs: geoArcs(edges, located, num(q.arcs, 500)),
      };
    },
  );

  add(
    'parallel',
    'A sample of flows (heaviest first) with the dimensions of the parallel-coordinates view',
    { limit: { type: 'integer', minimum: 1, maximum: 5000, default: 1000 } },
    { type: 'object', properties: { rows: { type: 'array' }, total: { type: 'integer' } } },
    async (capture, q) => {
      const page = await store.page('flows', {
        ...scopeOf(capture, 'flows', q),
        sort: [{ column: 'bytes', desc: true }],
        limit: num(q.limit, 1000),
      });
      const rows = page.rows.map((f) => ({
        id: f.id,
        proto: f.proto,
        app: f.app,
        src_ip: f.src_ip,
        dst_ip: f.dst_ip,
        src_port: f.src_port,
        dst_port: f.dst_port,
        packets: f.packets_fwd + f.packets_rev,
        bytes: f.bytes_fwd + f.bytes_rev,
        duration: f.duration,
        first_ts: f.first_ts,
      }));
      return { rows, total: page.total };
    },
  );

  // guard: a typo in a view name must not fall through to the static files
  app.get('/api/captures/:id/:view', async (req) => {
    throw new PcaplensError(
      'E_NOT_FOUND',
      `no view or table ${JSON.stringify((req.params as { view: string }).view)}`,
    );
  });
}
