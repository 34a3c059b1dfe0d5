import type { AlertRow, StoredHostRow } from '../../shared/store-rows.js';
import type { ColumnPages } from '../../store/query-cache.js';
import type { PageQuery, Store } from '../../store/store.js';

/**
 * What the graph marks need about a capture as a whole: per host its tags, AS and country, and which hosts
 * and pairs alerts name. A stored capture never changes, so this is read once and kept for the last few
 * captures asked about (the hosts table of a large capture takes a few hundred milliseconds to read; every
 * graph request would pay it again).
 */
export interface HostFacts {
  tags: string[];
  asn: number | null;
  as_org: string | null;
  country: string | null;
}

export interface CaptureFacts {
  hosts: Map<string, HostFacts>;
  /** false when the capture has more hosts than are read (the rest have no facts) */
  complete: boolean;
  alertsOf: Map<string, number>;
  alertPairs: Set<string>;
}

const KEEP = 8;
const MAX_HOSTS = 500_000;
const PAGE = 100_000;
const MAX_ALERTS = 10_000;
/** the columns hostFacts() and alertIndex() read */
export const HOST_FACT_COLUMNS = ['ip', 'tags', 'asn', 'as_org', 'country'] as const;
export const ALERT_FACT_COLUMNS = ['client_ip', 'server_ip', 'hosts'] as const;

export const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export function alertIndex(alerts: readonly AlertRow[]): Pick<CaptureFacts, 'alertsOf' | 'alertPairs'> {
  const alertsOf = new Map<string, number>();
  const alertPairs = new Set<string>();
  for (const a of alerts) {
    const ips = new Set([a.client_ip, a.server_ip, ...(a.hosts ?? [])].filter((x): x is string => !!x));
    for (const ip of ips) alertsOf.set(ip, (alertsOf.get(ip) ?? 0) + 1);
    if (a.client_ip && a.server_ip) alertPairs.add(pairKey(a.client_ip, a.server_ip));
  }
  return { alertsOf, alertPairs };
}

export function hostFacts(rows: readonly StoredHostRow[]): Map<string, HostFacts> {
  return new Map(
    rows.map((h) => [
      h.ip,
      { tags: h.tags ?? [], asn: h.asn ?? null, as_org: h.as_org ?? null, country: h.country ?? null },
    ]),
  );
}

export class FactsCache {
  private readonly entries = new Map<string, Promise<CaptureFacts>>();
  private readonly forgetListeners: ((captureId: number) => void)[] = [];

  constructor(private readonly store: Store) {}

  /** `key` names the capture's content (id and creation time: a re-used id is another capture). */
  get(captureId: number, key: string): Promise<CaptureFacts> {
    const k = `${captureId}|${key}`;
    let p = this.entries.get(k);
    if (p) {
      // most recently used last
      this.entries.delete(k);
      this.entries.set(k, p);
      return p;
    }
    p = this.load(captureId);
    this.entries.set(k, p);
    p.catch(() => this.entries.delete(k));
    while (this.entries.size > KEEP) this.entries.delete(this.entries.keys().next().value!);
    return p;
  }

  /** Called (the capture was deleted) for every capture forgotten: other per-capture caches follow. */
  onForget(listener: (captureId: number) => void): void {
    this.forgetListeners.push(listener);
  }

  forget(captureId: number): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(`${captureId}|`)) this.entries.delete(k);
    for (const l of this.forgetListeners) l(captureId);
  }

  /** Rows of a table, only the named columns when the store reads narrow pages (whole rows otherwise). */
  private async rows<T>(table: 'hosts' | 'alerts', q: PageQuery, columns: readonly string[]): Promise<T[]> {
    const narrow = (this.store as Partial<ColumnPages>).pageColumns;
    if (narrow) return (await narrow.call(this.store, table, q, columns)) as T[];
    return (await this.store.page(table, q)).rows as T[];
  }

  private async load(captureId: number): Promise<CaptureFacts> {
    const hosts = new Map<string, HostFacts>();
    let complete = true;
    for (let offset = 0; ; offset += PAGE) {
      const rows = await this.rows<StoredHostRow>(
        'hosts',
        { captureId, limit: PAGE, offset },
        HOST_FACT_COLUMNS,
      );
      for (const [ip, f] of hostFacts(rows)) hosts.set(ip, f);
      if (rows.length < PAGE) break;
      if (offset + PAGE >= MAX_HOSTS) {
        complete = false;
        break;
      }
    }
    const alerts = await this.rows<AlertRow>('alerts', { captureId, limit: MAX_ALERTS }, ALERT_FACT_COLUMNS);
    return { hosts, complete, ...alertIndex(alerts) };
  }
}
