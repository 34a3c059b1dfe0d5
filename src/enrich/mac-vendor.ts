/**
 * MAC address vendor look-up over the IEEE registries (MA-L 24-bit, MA-M 28-bit, MA-S 36-bit prefixes) plus the
 * address flags that need no registry: I/G bit (multicast), U/L bit (locally administered), broadcast.
 * Built once from a { prefixHex: text } record; look-ups are a few number operations and Map probes.
 */

export type MacBlock = 'MA-L' | 'MA-M' | 'MA-S';

export interface MacInfo {
  mac: string;
  /** organisation name (first line of the registry entry), null when unknown or not a universal address */
  vendor: string | null;
  /** registry block the vendor came from */
  block: MacBlock | null;
  /** U/L bit set: randomised (phones, VMs) or assigned by an admin; the OUI part means nothing */
  locally_administered: boolean;
  /** I/G bit set: group address */
  multicast: boolean;
  broadcast: boolean;
}

export interface MacVendorSource {
  name: string;
  version: string;
  entries: number;
}

/** Parses "aa:bb:cc:dd:ee:ff", "aa-bb-...", "aabb.ccdd.eeff" or 12 hex digits into 12 upper-case hex digits. */
export function normaliseMac(mac: string): string | null {
  const hex = mac.replace(/[:.-]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return null;
  return hex.toUpperCase();
}

export class MacVendorTable {
  /** vendor names, interned: many prefixes share one organisation */
  private readonly names: string[] = [];
  private readonly l = new Map<number, number>();
  private readonly m = new Map<number, number>();
  private readonly s = new Map<number, number>();
  readonly source: MacVendorSource;

  constructor(record: Readonly<Record<string, string>>, source: { name: string; version: string }) {
    const ids = new Map<string, number>();
    for (const key of Object.keys(record)) {
      const text = record[key];
      if (typeof text !== 'string' || !/^[0-9A-Fa-f]+$/.test(key)) continue;
      const name = (text.split('\n', 1)[0] ?? '').trim();
      if (!name) continue;
      let id = ids.get(name);
      if (id === undefined) {
        id = this.names.length;
        this.names.push(name);
        ids.set(name, id);
      }
      const n = parseInt(key, 16);
      if (key.length === 6) this.l.set(n, id);
      else if (key.length === 7) this.m.set(n, id);
      else if (key.length === 9) this.s.set(n, id);
    }
    this.source = { ...source, entries: this.l.size + this.m.size + this.s.size };
  }

  lookup(mac: string): MacInfo {
    const hex = normaliseMac(mac);
    const out: MacInfo = {
      mac,
      vendor: null,
      block: null,
      locally_administered: false,
      multicast: false,
      broadcast: false,
    };
    if (!hex) return out;
    const first = parseInt(hex.slice(0, 2), 16);
    out.multicast = (first & 1) === 1;
    out.locally_administered = (first & 2) === 2;
    out.broadcast = hex === 'FFFFFFFFFFFF';
    // Registry prefixes only name universally administered unicast addresses.
    if (out.multicast || out.locally_administered) return out;
    const s = this.s.get(parseInt(hex.slice(0, 9), 16));
    const m = s === undefined ? this.m.get(parseInt(hex.slice(0, 7), 16)) : undefined;
    const l = s === undefined && m === undefined ? this.l.get(parseInt(hex.slice(0, 6), 16)) : undefined;
    const id = s ?? m ?? l;
    if (id !== undefined) {
      out.vendor = this.names[id] ?? null;
      out.block = s !== undefined ? 'MA-S' : m !== undefined ? 'MA-M' : 'MA-L';
    }
    return out;
  }

  /** Vendor name or null: the common case of lookup(). */
  vendor(mac: string): string | null {
    return this.lookup(mac).vendor;
  }
}
