import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { compileFrameFilter, sessionTests } from '../../engine/frame-filter.js';
import { exportFrames, type ExportFormat } from '../../engine/export.js';
import { safeFileName } from '../../engine/extract-files.js';
import { PcaplensError } from '../../shared/errors.js';
import type { CaptureRow } from '../../shared/store-rows.js';
import { parseTimeBound } from '../../shared/filter/index.js';
import type { ServerContext } from '../context.js';
import { SCOPE_QUERY_SCHEMA, captureOf, type ScopeParams } from '../scope.js';
import { extractFile, parseFileId } from '../extract.js';
import { abortOnHangUp } from './drill.js';

/**
 * Downloads: a file carried in a capture (re-extracted from the kept capture files on request) and the
 * frames of a capture as a new pcap/pcapng file, filtered and windowed. Both are always attachments with a
 * generic media type: content from a capture is never rendered by the browser.
 */
const CAPTURE_ID = { type: 'string', pattern: '^\\d{1,15}$' };

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266, RFC 8187). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;%]/g, '_');
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

const DOWNLOAD_HEADERS = {
  'content-type': 'application/octet-stream',
  'x-content-type-options': 'nosniff',
  // opened directly, the download still runs nothing
  'content-security-policy': "default-src 'none'; sandbox",
};

/**
 * Every error an export request can cause, raised before the first byte is sent (a download that has
 * started cannot become an error page). Returns the tables whose rows select whole sessions.
 */
function checkExport(capture: CaptureRow, format: ExportFormat, q: ScopeParams): string[] {
  compileFrameFilter(q.filter, 'check');
  if (q.from?.trim()) parseTimeBound(q.from, capture.first_ts);
  if (q.to?.trim()) parseTimeBound(q.to, capture.first_ts);
  if (format === 'pcap' && capture.link_types.length > 1) {
    throw new PcaplensError(
      'E_USAGE',
      `capture ${capture.id} has several link types (${capture.link_types.join(', ')}); pcap holds one: export.pcapng`,
    );
  }
  return [...new Set(sessionTests(q.filter).map((t) => t.table))];
}

export function downloadRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { doc, store } = ctx;

  doc.add(
    app,
    {
      method: 'GET',
      url: '/api/captures/:id/files/:fileId',
      tag: 'drill-down',
      summary:
        'Download a transferred file (a row of the files table, id "<flow_id>-<packet>[-<k>]" as its file_id), extracted again from the capture; always an attachment',
      params: {
        id: CAPTURE_ID,
        fileId: { type: 'string', pattern: '^\\d{1,15}-\\d{1,15}(-\\d{1,6})?$' },
      },
      produces: 'application/octet-stream',
      responses: {
        '200': ['the bytes seen (X-Pcaplens-Truncated: true when fewer than the transfer carried)'],
        '404': ['E_NOT_FOUND: no such capture or file, or its bytes were not seen'],
      },
    },
    async (req, reply) => {
      const p = req.params as { id: string; fileId: string };
      const capture = await captureOf(store, p.id);
      const id = parseFileId(p.fileId);
      const ac = abortOnHangUp(reply.raw);
      const got = await extractFile({ store, dataDir: ctx.dataDir, captureId: capture.id }, id, ac.signal);
      const fallback = `${got.row.proto}-flow${got.row.flow_id}-packet${got.row.packet}.bin`;
      return reply
        .headers({
          ...DOWNLOAD_HEADERS,
          'content-disposition': contentDisposition(safeFileName(got.row.name, fallback)),
          'content-length': String(got.content.length),
          'x-pcaplens-truncated': String(got.content.length < got.row.size),
        })
        .send(Buffer.from(got.content.buffer, got.content.byteOffset, got.content.byteLength));
    },
  );

  doc.add(
    app,
    {
      method: 'GET',
      url: '/api/captures/:id/export-check',
      tag: 'drill-down',
      summary:
        'Checks an export before it is downloaded: 200 with what the filter selects through, or the error the export would answer (the page calls this first so an error is never saved as a file)',
      params: { id: CAPTURE_ID },
      query: { ...SCOPE_QUERY_SCHEMA, format: { type: 'string', enum: ['pcap', 'pcapng'], default: 'pcap' } },
      responses: {
        '200': [
          '{ ok: true, format, session_tables }: session_tables names the tables (dns, http, hosts, ...) whose matching rows select whole sessions',
        ],
        '400': ['E_FILTER, E_USAGE'],
        '404': ['E_NOT_FOUND'],
      },
    },
    async (req) => {
      const q = req.query as ScopeParams & { format?: ExportFormat };
      const capture = await captureOf(store, (req.params as { id: string }).id);
      const format: ExportFormat = q.format === 'pcapng' ? 'pcapng' : 'pcap';
      return { ok: true, format, session_tables: checkExport(capture, format, q) };
    },
  );

  for (const format of ['pcap', 'pcapng'] as ExportFormat[]) {
    doc.add(
      app,
      {
        method: 'GET',
        url: `/api/captures/:id/export.${format}`,
        tag: 'drill-down',
        summary: `The frames matching filter and time range as a ${format} file, streamed (filter over frame and session fields; a field of another table, such as dns.query_name or host.country, selects the sessions with a matching row)`,
        params: { id: CAPTURE_ID },
        query: SCOPE_QUERY_SCHEMA,
        produces: 'application/vnd.tcpdump.pcap',
        responses: {
          '200': [`a ${format} file`],
          '400': ['E_FILTER, E_USAGE (pcap asked for a capture of several link types: ask for pcapng)'],
          '404': ['E_NOT_FOUND'],
        },
      },
      async (req, reply) => {
        const q = req.query as ScopeParams;
        const capture = await captureOf(store, (req.params as { id: string }).id);
        checkExport(capture, format, q);
        const ac = abortOnHangUp(reply.raw);
        const body = new PassThrough({ highWaterMark: 1 << 20 });
        const sink = async (chunk: Uint8Array) => {
          if (!body.write(chunk)) {
            await new Promise<void>((resolve, reject) => {
              const done = () => {
                body.off('drain', done);
                body.off('close', gone);
                resolve();
              };
              const gone = () => reject(new PcaplensError('E_IO', 'client went away'));
              body.once('drain', done);
              body.once('close', gone);
            });
          }
        };
        exportFrames(
          { store, dataDir: ctx.dataDir, captureId: capture.id },
          {
            format,
            filter: q.filter?.trim() || null,
            from: q.from || null,
            to: q.to || null,
            signal: ac.signal,
          },
          sink,
        ).then(
          () => body.end(),
          (e: unknown) => {
            req.log.warn({ err: e }, 'export stopped');
            body.destroy(e instanceof Error ? e : new Error(String(e)));
          },
        );
        const base = safeFileName(
          capture.name.replace(/\.(pcapng|pcap|cap|gz)+$/i, ''),
          `capture-${capture.id}`,
        );
        return reply
          .headers({
            ...DOWNLOAD_HEADERS,
            'content-type': format === 'pcap' ? 'application/vnd.tcpdump.pcap' : 'application/octet-stream',
            'content-disposition': contentDisposition(`${base}-export.${format}`),
          })
          .send(body);
      },
    );
  }
}
