import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Each route is declared once: the declaration registers the Fastify route (with JSON schemas that validate
 * params and query strings) and feeds the OpenAPI document served at /api/openapi.json.
 * Response shapes are documented, not enforced (Fastify would silently drop undeclared fields).
 */
export type JsonSchema = Record<string, unknown>;

export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify syntax: /api/captures/:id */
  url: string;
  summary: string;
  tag: string;
  params?: Record<string, JsonSchema>;
  query?: Record<string, JsonSchema>;
  /** documentation of the request body */
  requestBody?: JsonSchema;
  /** status -> [description, schema?] */
  responses: Record<string, [string, JsonSchema?]>;
  /** media type of the success response (default application/json) */
  produces?: string;
}

export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: {
          type: 'string',
          description: 'stable code: E_USAGE, E_NOT_FOUND, E_NOT_CAPTURE, E_FILTER, E_LIMIT, ...',
        },
        message: { type: 'string' },
        pos: { type: 'integer', description: 'E_FILTER: 0-based offset in the expression' },
        suggestions: { type: 'array', items: { type: 'string' } },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

export class ApiDoc {
  private readonly specs: RouteSpec[] = [];
  /** team mode (serve --auth): the document names the session cookie and bearer tokens as security schemes */
  auth = false;

  constructor(private readonly version: string) {}

  add(app: FastifyInstance, spec: RouteSpec, handler: Handler): void {
    this.specs.push(spec);
    const schema: Record<string, unknown> = {};
    if (spec.params)
      schema.params = { type: 'object', properties: spec.params, required: Object.keys(spec.params) };
    if (spec.query)
      schema.querystring = { type: 'object', properties: spec.query, additionalProperties: false };
    app.route({ method: spec.method, url: spec.url, schema, handler });
  }

  document(): JsonSchema {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const s of this.specs) {
      const path = s.url.replace(/:([A-Za-z_]+)/g, '{$1}');
      const parameters = [
        ...Object.entries(s.params ?? {}).map(([name, schema]) => ({
          name,
          in: 'path',
          required: true,
          schema,
        })),
        ...Object.entries(s.query ?? {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: false,
          description: typeof schema.description === 'string' ? schema.description : undefined,
          schema,
        })),
      ];
      const responses: Record<string, unknown> = {};
      for (const [status, [description, schema]] of Object.entries(s.responses)) {
        const media = status.startsWith('2') ? (s.produces ?? 'application/json') : 'application/json';
        const body = status.startsWith('2') ? schema : (schema ?? ERROR_SCHEMA);
        responses[status] = body ? { description, content: { [media]: { schema: body } } } : { description };
      }
      const op: Record<string, unknown> = { summary: s.summary, tags: [s.tag], parameters, responses };
      if (s.requestBody) op.requestBody = s.requestBody;
      (paths[path] ??= {})[s.method.toLowerCase()] = op;
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'pcaplens API',
        version: this.version,
        description: 'Captures, their tables and the aggregations behind the views.',
      },
      paths,
      components: {
        schemas: { Error: ERROR_SCHEMA },
        ...(this.auth
          ? {
              securitySchemes: {
                session: { type: 'apiKey', in: 'cookie', name: 'pcaplens_session' },
                token: { type: 'http', scheme: 'bearer', description: 'pcaplens token create NAME --user U' },
              },
            }
          : {}),
      },
      ...(this.auth ? { security: [{ session: [] }, { token: [] }] } : {}),
    };
  }
}
