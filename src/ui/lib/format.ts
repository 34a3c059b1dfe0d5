/** Numbers and times as people read them. */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function count(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  return n.toLocaleString('en-US');
}

/** "2024-05-01 12:00:00.123456" from ISO-8601, keeping the sub-second digits the server sent. */
export function time(iso: string | null | undefined): string {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/Z$/, '');
}

export function duration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return '';
  if (sec < 1) return `${(sec * 1000).toFixed(sec < 0.01 ? 2 : 0)} ms`;
  if (sec < 120) return `${sec.toFixed(1)} s`;
  if (sec < 7200) return `${(sec / 60).toFixed(1)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

export function ms(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : duration(v / 1000);
}

/** A cell value of any type as text (arrays joined, objects as JSON). */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v))
    return v
      .map((x) =>
        typeof x === 'object' && x ? ((x as { name?: string }).name ?? JSON.stringify(x)) : String(x),
      )
      .join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** Quotes a value for the filter language when it is not a bare word/number/address. */
export function filterLiteral(v: string | number): string {
  if (typeof v === 'number') return String(v);
  if (/^[0-9A-Za-z.:/_-]+$/.test(v) && !/^(and|or|not|contains|matches)$/i.test(v)) return v;
  return JSON.stringify(v);
}
