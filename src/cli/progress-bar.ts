/**
 * One-line progress bar on stderr. Shown only when stderr is a terminal and only once a run has lasted a
 * while (short runs print nothing); cleared when the run ends so it never mixes with warnings or output.
 */
import type { Progress } from '../engine/progress.js';

export interface BarStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const SHOW_AFTER_MS = 1000;

function mb(n: number): string {
  return (n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0);
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The bar's text for one progress event, fitted to `width` columns. */
export function progressLine(p: Progress, width: number): string {
  const pct = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
  const stats =
    ` ${(pct * 100).toFixed(0).padStart(3)}% ${mb(p.bytesRead)}/${p.bytesTotal > 0 ? mb(p.bytesTotal) : '?'} MB` +
    ` ${p.packets} pkts ${p.flows} flows ${duration(p.elapsedMs)}` +
    (p.etaMs !== null && !p.done ? ` eta ${duration(p.etaMs)}` : '');
  const barWidth = Math.max(0, Math.min(30, width - stats.length - 3));
  const filled = Math.round(pct * barWidth);
  const bar = barWidth > 0 ? '[' + '#'.repeat(filled) + '-'.repeat(barWidth - filled) + ']' : '';
  return (bar + stats).slice(0, Math.max(0, width - 1));
}

export class ProgressBar {
  private shown = false;

  constructor(private readonly out: BarStream) {}

  update(p: Progress): void {
    if (!this.out.isTTY) return;
    if (p.done) return this.clear();
    if (p.elapsedMs < SHOW_AFTER_MS) return;
    this.shown = true;
    this.out.write('\r' + progressLine(p, this.out.columns || 80) + '\x1b[K');
  }

  clear(): void {
    if (!this.shown) return;
    this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
