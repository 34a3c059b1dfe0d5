import type { FastifyInstance } from 'fastify';
import { TABLE_NAMES, tableFields, type TableName } from '../../shared/filter/index.js';
import type { FileRow } from '../../shared/app-rows.js';
import type { ServerContext } from '../context.js';
import { withFileIds } from '../extract.js';
import { cachedAnswer, responseCacheOf } from '../cache/answer.js';
import { PAGE_QUERY_SCHEMA, scopeOf, sortOf, type ScopeParams } from '../scope.js';

/** One page of a table per request: GET /api/captures/:id/<table>?filter&from&to&limit&offset&sort. */
interface PageParams extends ScopeParams {
  limit?: number;
  offset?: number;
  sort?: string;
}

const PAGE_SCHEMA = {
  type: 'object',
  properties: {
    rows: { type: 'array', items: { type: 'object' } },
    total: {
      type: 'integer',
      description: 'rows matching filter and time range, regardless of limit/offset',
    },
  },
};

export function tableRoutes(app: FastifyInstance, ctx: ServerContext): void {
  responseCacheOf(ctx);
  for (const table of TABLE_NAMES) {
    ctx.doc.add(
      app,
      {
        method: 'GET',
        url: `/api/captures/:id/${table}`,
        tag: 'tables',
        summary: `Rows of the ${table} table, filtered, windowed, sorted and paged`,
        params: { id: { type: 'string', pattern: '^\\d{1,15}$' } },
        query: PAGE_QUERY_SCHEMA,
        responses: {
          '200': [`a page of ${table} rows`, PAGE_SCHEMA],
          '400': ['E_FILTER or E_USAGE'],
          '404': ['E_NOT_FOUND'],
        },
      },
      (req, reply) =>
        cachedAnswer(ctx, `table:${table}`, req, reply, async (capture) => {
          const q = req.query as PageParams;
          const scope = scopeOf(capture, table, q);
          const page = await ctx.store.page(table as TableName, {
            ...scope,
            sort: sortOf(q.sort),
            limit: q.limit ?? 100,
            offset: q.offset ?? 0,
          });
          // files carry the id their download is asked for by
          if (table === 'files')
            return { ...page, rows: await withFileIds(ctx.store, capture.id, page.rows as FileRow[]) };
          return page;
        }),
    );
  }

  ctx.doc.add(
    app,
    {
      method: 'GET',
      url: '/api/fields',
      tag: 'tables',
      summary: 'Filter fields of each table (for autocompletion and docs)',
      responses: { '200': ['table name -> fields', { type: 'object' }] },
    },
    async () => Object.fromEntries(TABLE_NAMES.map((t) => [t, tableFields(t)])),
  );
}
