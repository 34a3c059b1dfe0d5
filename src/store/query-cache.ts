import type { TableName } from '../shared/filter/index.js';
import type { CaptureFileRow, CaptureMeta, CaptureRow, CaptureTotals } from '../shared/store-rows.js';
import type {
  CaptureWriter,
  Conversation,
  ConversationQuery,
  GraphEdge,
  GraphQuery,
  HistogramBucket,
  HistogramQuery,
  Page,
  PageQuery,
  Scope,
  Store,
  TableRows,
  Talker,
  TopTalkersQuery,
} from './store.js';

/**
 * A store whose answers about a capture's rows are remembered: a stored capture never changes (its rows
 * are written in the one transaction that creates it), so the same question gets the same answer until the
 * capture is deleted. Identical questions asked at once share one query (many users of the web app opening
 * the same views). Answers are handed out as copies, so a caller may change what it got. The capture list and
 * capture rows are not cached (captures come and go); neither is anything of an import.
 */
export interface QueryCacheOptions {
  /** remembered answers at most; default 512 */
  maxEntries?: number;
  /** rows (table rows, buckets, edges, talkers) over all remembered answers at most; default 250 000 */
  maxRows?: number;
  /** how long a capture row is remembered; default 5 s */
  captureTtlMs?: number;
}

/** A store that reads pages of a few columns (the SQL stores: SqlStore.pageColumns). */
export interface ColumnPages {
  pageColumns(table: TableName, q: PageQuery, columns: readonly string[]): Promise<Record<string, unknown>[]>;
}

interface Entry {
  captureId: number;
  value: Promise<unknown>;
  rows: number;
}

function rowsOf(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  const rows = (v as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? rows.length : 1;
}

/**
 * The question as text. A filter counts by its checked tree (columns, operators, typed values: what the SQL
 * is made of), not by its text: callers build filters whose text does not describe their tree.
 */
function keyOf(method: string, q: unknown): string {
  return (
    method +
    JSON.stringify(q, (k, v: unknown) => {
      if (k === 'filter' && v && typeof v === 'object') {
        const f = v as { table?: unknown; root?: unknown };
        return { table: f.table, root: f.root };
      }
      return typeof v === 'bigint' ? `${v}n` : v;
    })
  );
}

export class QueryCache implements Store {
  readonly kind: string;
  private readonly entries = new Map<string, Entry>();
  /** bumped by a delete: an answer computed across it is not remembered */
  private readonly generation = new Map<number, number>();
  private rows = 0;
  private readonly captureRows = new Map<number, { row: Promise<CaptureRow | null>; until: number }>();
  private readonly captureTtlMs: number;
  private readonly maxEntries: number;
  private readonly maxRows: number;
  hits = 0;
  misses = 0;

  constructor(
    readonly inner: Store,
    opts: QueryCacheOptions = {},
  ) {
    this.kind = inner.kind;
    this.maxEntries = opts.maxEntries ?? 512;
    this.maxRows = opts.maxRows ?? 250_000;
    this.captureTtlMs = opts.captureTtlMs ?? 5000;
    if (inner.captureSummary) this.captureSummary = (id) => inner.captureSummary!(id);
    const narrow = (inner as Partial<ColumnPages>).pageColumns;
    if (narrow) this.pageColumns = (table, q, columns) => narrow.call(inner, table, q, columns);
  }

  /** the inner store's narrow pages, not remembered (their callers keep what they derive) */
  pageColumns?: ColumnPages['pageColumns'];

  captureSummary?: (id: number) => Promise<unknown>;

  private async remember<T>(
    captureId: number,
    method: string,
    q: unknown,
    run: () => Promise<T>,
  ): Promise<T> {
    const key = keyOf(method, q);
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      // most recently used last, so the oldest is evicted first
      this.entries.delete(key);
      this.entries.set(key, hit);
      return structuredClone((await hit.value) as T);
    }
    this.misses++;
    const gen = this.generation.get(captureId) ?? 0;
    const value = run();
    const entry: Entry = { captureId, value, rows: 0 };
    this.entries.set(key, entry);
    let out: T;
    try {
      out = await value;
    } catch (e) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw e;
    }
    if (this.entries.get(key) === entry) {
      if ((this.generation.get(captureId) ?? 0) !== gen) this.entries.delete(key);
      else {
        entry.rows = rowsOf(out);
        this.rows += entry.rows;
        this.evict();
      }
    }
    return structuredClone(out);
  }

  private evict(): void {
    for (const [key, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.rows <= this.maxRows) break;
      this.entries.delete(key);
      this.rows -= e.rows;
    }
  }

  private forget(captureId: number): void {
    this.generation.set(captureId, (this.generation.get(captureId) ?? 0) + 1);
    this.captureRows.delete(captureId);
    for (const [key, e] of this.entries) {
      if (e.captureId !== captureId) continue;
      this.entries.delete(key);
      this.rows -= e.rows;
    }
  }

  migrate(): Promise<void> {
    return this.inner.migrate();
  }
  importCapture(meta: CaptureMeta, fill: (w: CaptureWriter) => Promise<CaptureTotals>): Promise<CaptureRow> {
    return this.inner.importCapture(meta, fill);
  }
  findCaptureBySha256(sha256: string): Promise<CaptureRow | null> {
    return this.inner.findCaptureBySha256(sha256);
  }
  listCaptures(): Promise<CaptureRow[]> {
    return this.inner.listCaptures();
  }
  /**
   * A capture row is remembered briefly (a stored capture's row never changes; a delete through this cache
   * forgets it at once; the short life bounds what another process's delete leaves visible). Every request
   * about a capture looks it up first, and that look-up should not queue behind the slow reads.
   */
  getCapture(id: number): Promise<CaptureRow | null> {
    const now = Date.now();
    const hit = this.captureRows.get(id);
    if (hit && hit.until > now) return hit.row.then((r) => (r ? structuredClone(r) : null));
    const gen = this.generation.get(id) ?? 0;
    const row = this.inner.getCapture(id);
    const entry = { row, until: now + this.captureTtlMs };
    this.captureRows.set(id, entry);
    row.then(
      (r) => {
        // an unknown id is not remembered: it may be the next capture's
        if (!r || (this.generation.get(id) ?? 0) !== gen) {
          if (this.captureRows.get(id) === entry) this.captureRows.delete(id);
        } else if (this.captureRows.size > 4096)
          this.captureRows.delete(this.captureRows.keys().next().value!);
      },
      () => {
        if (this.captureRows.get(id) === entry) this.captureRows.delete(id);
      },
    );
    return row.then((r) => (r ? structuredClone(r) : null));
  }
  captureFiles(id: number): Promise<CaptureFileRow[]> {
    return this.inner.captureFiles(id);
  }
  async deleteCapture(id: number): Promise<boolean> {
    this.forget(id);
    try {
      return await this.inner.deleteCapture(id);
    } finally {
      this.forget(id);
    }
  }
  page<T extends TableName>(table: T, q: PageQuery): Promise<Page<TableRows[T]>> {
    return this.remember(q.captureId, `page:${table}`, q, () => this.inner.page(table, q));
  }
  countRows(table: TableName, q: Scope): Promise<number> {
    return this.remember(q.captureId, `count:${table}`, q, () => this.inner.countRows(table, q));
  }
  topTalkers(q: TopTalkersQuery): Promise<Talker[]> {
    return this.remember(q.captureId, 'top', q, () => this.inner.topTalkers(q));
  }
  timeHistogram(q: HistogramQuery): Promise<HistogramBucket[]> {
    return this.remember(q.captureId, 'histogram', q, () => this.inner.timeHistogram(q));
  }
  graphEdges(q: GraphQuery): Promise<GraphEdge[]> {
    return this.remember(q.captureId, 'graph', q, () => this.inner.graphEdges(q));
  }
  conversations(q: ConversationQuery): Promise<Page<Conversation>> {
    return this.remember(q.captureId, 'conversations', q, () => this.inner.conversations(q));
  }
  close(): Promise<void> {
    this.entries.clear();
    this.captureRows.clear();
    this.rows = 0;
    return this.inner.close();
  }
}
