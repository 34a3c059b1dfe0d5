import { PcaplensError } from '../errors.js';

/** E_FILTER with where it went wrong (0-based offset into the expression), what was expected and nearby names. */
export class FilterError extends PcaplensError {
  readonly pos: number;
  readonly expected: string[];
  readonly suggestions: string[];
  constructor(message: string, pos: number, opts: { expected?: string[]; suggestions?: string[] } = {}) {
    const exp = opts.expected?.length ? `; expected ${opts.expected.join(' or ')}` : '';
    const sug = opts.suggestions?.length ? `; did you mean ${opts.suggestions.join(', ')}?` : '';
    super('E_FILTER', `filter, column ${pos + 1}: ${message}${exp}${sug}`);
    this.name = 'FilterError';
    this.pos = pos;
    this.expected = opts.expected ?? [];
    this.suggestions = opts.suggestions ?? [];
  }
}

/** Levenshtein distance, capped: returns cap+1 as soon as the distance must exceed cap. */
export function editDistance(a: string, b: string, cap = 8): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Up to `n` known names closest to `name` (ties broken alphabetically), within a distance that scales with length. */
export function nearestNames(name: string, known: Iterable<string>, n = 3): string[] {
  const cap = Math.max(2, Math.floor(name.length / 3));
  const scored: { s: string; d: number }[] = [];
  for (const k of known) {
    const d = editDistance(name, k, cap);
    // a known name that merely extends what was typed (dns.qry -> dns.qry_name) is close too
    const prefix = k.startsWith(name) || name.startsWith(k) ? Math.min(d, 2) : d;
    if (prefix <= cap) scored.push({ s: k, d: prefix });
  }
  scored.sort((x, y) => x.d - y.d || (x.s < y.s ? -1 : x.s > y.s ? 1 : 0));
  return scored.slice(0, n).map((x) => x.s);
}
