/**
 * One text form for a row value, shared by the CSV and table writers: null is empty, lists are joined with
 * ";", a host name is shown with its source ("example.org (dns)"), other objects as JSON.
 */
export type Cell = string | number | boolean | null | undefined | readonly unknown[] | object;

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  // 9 decimals keep nanoseconds and drop float noise such as 0.6270899999999999
  if (typeof v === 'number')
    return Number.isFinite(v) ? String(Number.isInteger(v) ? v : Number(v.toFixed(9))) : '';
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.map(cellText).join(';');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.name === 'string' && typeof o.source === 'string') return `${o.name} (${o.source})`;
    return JSON.stringify(v);
  }
  return String(v);
}

/** Flattens a nested object into dotted key/value pairs (for the CSV and table views of `summary`). */
export function flatten(v: unknown, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object')) {
    v.forEach((x, i) => flatten(x, `${prefix}[${i}]`, out));
  } else {
    out.push([prefix, v]);
  }
  return out;
}
