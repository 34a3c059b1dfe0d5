import { PcaplensError } from '../../shared/errors.js';

/**
 * ClickHouse's HTTP interface with plain fetch: statements in the POST body, inserts as `INSERT ... FORMAT
 * RowBinary` in the URL with the rows as the body, selects as JSONEachRow (64-bit integers arrive as
 * strings). Any failure becomes E_STORE naming the node.
 */
export type Settings = Record<string, string | number>;

export class ClickHouseHttp {
  constructor(
    readonly endpoint: string,
    private readonly database: string | null,
    private readonly auth: { user: string; password: string },
  ) {}

  private url(settings: Settings, query?: string): string {
    const p = new URLSearchParams();
    if (this.database) p.set('database', this.database);
    for (const [k, v] of Object.entries(settings)) p.set(k, String(v));
    if (query !== undefined) p.set('query', query);
    return `${this.endpoint}/?${p.toString()}`;
  }

  /**
   * One request. A pooled keep-alive connection the server has closed meanwhile (ClickHouse closes idle ones
   * after keep_alive_timeout, 3 s by default) fails on write: EPIPE means the body never arrived whole, so
   * nothing was done and the request is sent again on a new connection; reads are retried on any reset.
   */
  private async send(url: string, body: string | Buffer, what: string, idempotent = false): Promise<string> {
    let r: Response;
    for (let attempt = 1; ; attempt++) {
      try {
        r = await fetch(url, {
          method: 'POST',
          body,
          headers: { 'X-ClickHouse-User': this.auth.user, 'X-ClickHouse-Key': this.auth.password },
        });
        break;
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const code = cause?.code ?? '';
        const stale =
          code === 'EPIPE' || (idempotent && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'));
        if (stale && attempt < 3) continue;
        throw new PcaplensError(
          'E_STORE',
          `clickhouse ${this.endpoint}: ${code || cause?.message || (e as Error).message} (${what})`,
          { cause: e },
        );
      }
    }
    const text = await r.text();
    if (!r.ok) {
      const msg = text.replace(/^Code: \d+, e\.displayText\(\) = (DB::Exception: )?/, '').split('\n')[0];
      throw new PcaplensError('E_STORE', `clickhouse ${this.endpoint}: ${msg} (${what})`);
    }
    return text;
  }

  /** A statement without result (DDL, INSERT ... SELECT, ALTER). */
  async exec(sql: string, settings: Settings = {}): Promise<void> {
    await this.send(this.url(settings), sql, sql.slice(0, 60));
  }

  /** Rows of a SELECT as objects. */
  async rows<T = Record<string, unknown>>(sql: string, settings: Settings = {}): Promise<T[]> {
    const text = await this.send(this.url(settings), `${sql}\nFORMAT JSONEachRow`, sql.slice(0, 60), true);
    const out: T[] = [];
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (end > start) {
        const line = text.slice(start, end);
        try {
          out.push(JSON.parse(line) as T);
        } catch {
          // an error after the first rows arrives as text at the end of a 200 answer
          throw new PcaplensError('E_STORE', `clickhouse ${this.endpoint}: ${line.slice(0, 300)}`);
        }
      }
      start = end + 1;
    }
    return out;
  }

  /** Inserts RowBinary rows into table (columns in the order the bytes were written). */
  async insert(
    table: string,
    columns: readonly string[],
    body: Buffer,
    settings: Settings = {},
  ): Promise<void> {
    const q = `INSERT INTO ${table} (${columns.join(', ')}) FORMAT RowBinary`;
    await this.send(this.url(settings, q), body, `insert into ${table}`);
  }
}
