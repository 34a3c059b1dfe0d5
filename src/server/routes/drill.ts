import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { followStream } from '../../engine/follow-stream.js';
import { packetDetail } from '../../engine/packet-detail.js';
import type { ServerContext } from '../context.js';
import { captureOf } from '../scope.js';
import { cachedAnswer } from '../cache/answer.js';

/**
 * Drill-down to the bytes: one frame decoded as a layer tree with its hex, and the payload of one
 * conversation as its two sides sent it. Both re-read the capture's kept files on each request; nothing of
 * the packets is held by the server.
 */
const CAPTURE_ID = { type: 'string', pattern: '^\\d{1,15}$' };
const POSITIVE = { type: 'string', pattern: '^[1-9]\\d{0,14}$' };

/** Payload returned by one stream request at most, unless the caller asks for less. */
export const STREAM_MAX_BYTES = 8 << 20;

const FIELD_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    id: { type: 'string', description: 'filter field id, when one exists' },
    value: { type: 'string' },
    offset: { type: 'integer', description: 'first byte within the frame' },
    length: { type: 'integer', description: 'bytes (0 for a computed value)' },
    children: { type: 'array', items: { type: 'object' } },
  },
};

const DETAIL_SCHEMA = {
  type: 'object',
  properties: {
    n: { type: 'integer' },
    ts: { type: 'string' },
    caplen: { type: 'integer' },
    len: { type: 'integer' },
    link_type: { type: 'integer' },
    link_type_name: { type: 'string' },
    flow_id: { type: ['integer', 'null'] },
    protocol: { type: ['string', 'null'] },
    comment: { type: ['string', 'null'] },
    layers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          protocol: { type: 'string' },
          name: { type: 'string' },
          offset: { type: 'integer' },
          length: { type: 'integer' },
          fields: { type: 'array', items: FIELD_SCHEMA },
          problem: { type: 'string' },
        },
      },
    },
    bytes: { type: 'string', description: 'the captured bytes, lower-case hex' },
  },
};

const STREAM_SCHEMA = {
  type: 'object',
  properties: {
    flow_id: { type: 'integer' },
    direction: { type: 'string' },
    bytes: { type: 'integer', description: 'payload bytes returned' },
    truncated: { type: 'boolean' },
    chunks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          direction: { type: 'string', enum: ['fwd', 'rev'], description: 'fwd: sent by the flow src' },
          packet: { type: 'integer', description: 'frame of the first byte' },
          ts: { type: 'string' },
          gap: { type: 'integer', description: 'bytes missing just before (capture loss)' },
          length: { type: 'integer' },
          data: { type: 'string', description: 'the payload, base64' },
          truncated: { type: 'boolean' },
        },
      },
    },
  },
};

export function drillRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { doc, store } = ctx;
  const source = (captureId: number) => ({ store, dataDir: ctx.dataDir, captureId });

  doc.add(
    app,
    {
      method: 'GET',
      url: '/api/captures/:id/packets/:n',
      tag: 'drill-down',
      summary: 'One frame: its decoded layers (fields with byte ranges) and its bytes in hex',
      params: { id: CAPTURE_ID, n: POSITIVE },
      responses: {
        '200': ['the frame', DETAIL_SCHEMA],
        '404': ['E_NOT_FOUND: no such capture or frame, or its kept file is missing'],
      },
    },
    async (req) => {
      const p = req.params as { id: string; n: string };
      const capture = await captureOf(store, p.id);
      return packetDetail(source(capture.id), Number(p.n));
    },
  );

  doc.add(
    app,
    {
      method: 'GET',
      url: '/api/captures/:id/flows/:flowId/stream',
      tag: 'drill-down',
      summary:
        'Follow stream: the payload of one session in order, TCP reassembled per direction, one chunk per UDP datagram',
      params: { id: CAPTURE_ID, flowId: POSITIVE },
      query: {
        direction: { type: 'string', enum: ['both', 'fwd', 'rev'], default: 'both' },
        max_bytes: {
          type: 'integer',
          minimum: 0,
          maximum: STREAM_MAX_BYTES,
          default: 1 << 20,
          description: 'payload bytes returned at most; the last chunk says when the stream was cut',
        },
      },
      responses: {
        '200': ['the chunks', STREAM_SCHEMA],
        '404': ['E_NOT_FOUND: no such capture or session'],
      },
    },
    async (req, reply) => {
      const p = req.params as { id: string; flowId: string };
      const q = req.query as { direction?: 'both' | 'fwd' | 'rev'; max_bytes?: number };
      const flowId = Number(p.flowId);
      // a stored capture never changes: one answer per flow, direction and limit, shared by concurrent
      // askers (so one leaving does not stop it) and revalidated by its ETag
      return cachedAnswer(ctx, `stream:${flowId}`, req, reply, async (capture) => {
        const chunks = await followStream(source(capture.id), flowId, {
          direction: q.direction ?? 'both',
          maxBytes: q.max_bytes ?? 1 << 20,
        });
        let total = 0;
        const out = chunks.map((c) => {
          total += c.bytes.length;
          const o: Record<string, unknown> = {
            direction: c.direction,
            packet: c.packet,
            ts: c.ts,
            gap: c.gap,
            length: c.bytes.length,
            data: Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength).toString('base64'),
          };
          if (c.truncated) o.truncated = true;
          return o;
        });
        return {
          flow_id: flowId,
          direction: q.direction ?? 'both',
          bytes: total,
          truncated: chunks.some((c) => c.truncated === true),
          chunks: out,
        };
      });
    },
  );
}

/** Aborted when the client goes away before the answer is written (stops re-reading the capture). */
export function abortOnHangUp(res: ServerResponse): AbortController {
  const ac = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  return ac;
}
