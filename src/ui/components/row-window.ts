/**
 * The arithmetic of a virtualised table, kept pure so it can be tested without a browser: which rows a
 * scroll position shows (with the heights of the empty space above and below them), where to scroll so a
 * row is in view, and a small cache of row blocks fetched from a paged API.
 *
 * Browsers cap an element's height (Chromium near 33 million px), so past `maxHeight` the scroll range is
 * scaled: the scroll bar then maps its position to a row proportionally instead of one pixel per pixel.
 */

export const ROW_HEIGHT = 24;
export const MAX_HEIGHT = 8_000_000;

export interface RowWindow {
  /** first row rendered (0-based) */
  start: number;
  /** one past the last row rendered */
  end: number;
  /** empty space above the rendered rows, px */
  padTop: number;
  /** empty space below them, px */
  padBottom: number;
  /** first row in view (without the overscan) */
  first: number;
  /** rows that fit in the view */
  visible: number;
}

export interface WindowInput {
  total: number;
  scrollTop: number;
  /** height of the area rows are seen in (the viewport less the sticky header), px */
  viewHeight: number;
  rowHeight?: number;
  /** rows rendered beyond each edge of the view */
  overscan?: number;
  maxHeight?: number;
}

/** Height of the scrolled content for `total` rows. */
export function contentHeight(total: number, rowHeight = ROW_HEIGHT, maxHeight = MAX_HEIGHT): number {
  return Math.min(Math.max(0, total) * rowHeight, maxHeight);
}

export function rowWindow(w: WindowInput): RowWindow {
  const rh = w.rowHeight ?? ROW_HEIGHT;
  const over = w.overscan ?? 8;
  const maxH = w.maxHeight ?? MAX_HEIGHT;
  const total = Math.max(0, Math.floor(w.total));
  const visible = Math.max(1, Math.ceil(Math.max(0, w.viewHeight) / rh));
  const top = Math.max(0, w.scrollTop);
  if (total * rh <= maxH) {
    const first = Math.min(Math.floor(top / rh), Math.max(0, total - 1));
    const start = Math.max(0, first - over);
    const end = Math.min(total, first + visible + 1 + over);
    return { start, end, padTop: start * rh, padBottom: (total - end) * rh, first, visible };
  }
  // scaled: the scroll fraction picks the first row; the rows are drawn where the view is
  const range = Math.max(1, maxH - w.viewHeight);
  const f = Math.min(1, top / range);
  const firstF = f * Math.max(0, total - visible);
  const first = Math.floor(firstF);
  const end = Math.min(total, first + visible + 1);
  const padTop = Math.max(0, Math.min(top - (firstF - first) * rh, maxH - (end - first) * rh));
  return {
    start: first,
    end,
    padTop,
    padBottom: Math.max(0, maxH - padTop - (end - first) * rh),
    first,
    visible,
  };
}

/** The scroll position that puts row `i` in view, moving as little as possible (current if it is). */
export function scrollTopFor(i: number, w: WindowInput): number {
  const rh = w.rowHeight ?? ROW_HEIGHT;
  const maxH = w.maxHeight ?? MAX_HEIGHT;
  const cur = rowWindow({ ...w, overscan: 0 });
  const full = Math.max(1, Math.floor(w.viewHeight / rh));
  let first = cur.first;
  if (i < cur.first) first = i;
  else if (i >= cur.first + full) first = i - full + 1;
  else return w.scrollTop;
  if (w.total * rh <= maxH) {
    // the whole row, also when the view is not a whole number of rows high
    return i < cur.first ? i * rh : Math.max(0, (i + 1) * rh - w.viewHeight);
  }
  const span = Math.max(1, w.total - cur.visible);
  return (Math.min(first, span) / span) * Math.max(1, maxH - w.viewHeight);
}

/**
 * Blocks of rows by block number, least recently used dropped past `maxBlocks`. `pending` holds the
 * blocks being fetched, so a scroll does not ask for one twice.
 */
export class RowCache<R> {
  private readonly blocks = new Map<number, R[]>();
  readonly pending = new Set<number>();
  constructor(
    readonly blockSize: number,
    private readonly maxBlocks = 40,
  ) {}

  get(i: number): R | undefined {
    const b = Math.floor(i / this.blockSize);
    const rows = this.blocks.get(b);
    if (!rows) return undefined;
    return rows[i - b * this.blockSize];
  }

  has(block: number): boolean {
    return this.blocks.has(block);
  }

  /** blocks that rows [start, end) need and that are neither cached nor being fetched */
  missing(start: number, end: number): number[] {
    const out: number[] = [];
    if (end <= start) return out;
    const last = Math.floor((end - 1) / this.blockSize);
    for (let b = Math.floor(start / this.blockSize); b <= last; b++) {
      const rows = this.blocks.get(b);
      if (rows) {
        // recently used: to the back of the eviction order
        this.blocks.delete(b);
        this.blocks.set(b, rows);
      } else if (!this.pending.has(b)) out.push(b);
    }
    return out;
  }

  put(block: number, rows: R[]): void {
    this.blocks.delete(block);
    this.blocks.set(block, rows);
    while (this.blocks.size > this.maxBlocks) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
  }

  clear(): void {
    this.blocks.clear();
    this.pending.clear();
  }

  get size(): number {
    return this.blocks.size;
  }
}
