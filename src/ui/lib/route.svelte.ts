/**
 * All UI state that matters lives in the URL hash, so a view can be shared by copying the address:
 * #/c/<id>/<view>[/<arg>]?filter=...&from=...&to=...&sel=...&sel=...&<view options>
 */
export interface RouteState {
  path: string[];
  query: Record<string, string>;
  /** selections made in views (each a filter clause), ANDed with the filter */
  sel: string[];
}

function parse(): RouteState {
  const h = location.hash.replace(/^#/, '') || '/';
  const q = h.indexOf('?');
  const p = q < 0 ? h : h.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : h.slice(q + 1));
  const query: Record<string, string> = {};
  for (const [k, v] of params) if (k !== 'sel') query[k] = v;
  return {
    path: p
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s)),
    query,
    sel: params.getAll('sel'),
  };
}

export const route: RouteState = $state(parse());

window.addEventListener('hashchange', () => {
  const r = parse();
  route.path = r.path;
  route.query = r.query;
  route.sel = r.sel;
});

export function href(
  path: string[],
  query: Record<string, string | undefined> = {},
  sel: string[] = [],
): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) u.set(k, v);
  for (const s of sel) u.append('sel', s);
  const q = u.toString();
  return `#/${path.map(encodeURIComponent).join('/')}${q ? `?${q}` : ''}`;
}

export function go(
  path: string[],
  query: Record<string, string | undefined> = route.query,
  sel: string[] = route.sel,
): void {
  const h = href(path, query, sel);
  if (location.hash !== h) location.hash = h;
}

/** Changes some query parameters, keeping the path. */
export function setQuery(changes: Record<string, string | undefined>, sel: string[] = route.sel): void {
  go(route.path, { ...route.query, ...changes }, sel);
}

/** The filter every view applies: the typed filter and the selections, ANDed. */
export function effectiveFilter(filter: string | undefined, sel: readonly string[]): string {
  const parts = [filter?.trim() ?? '', ...sel].filter(Boolean);
  if (parts.length <= 1) return parts[0] ?? '';
  return parts.map((p) => `(${p})`).join(' and ');
}
