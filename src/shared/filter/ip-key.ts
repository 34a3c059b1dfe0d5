/**
 * Addresses as sortable keys: 32 lower-case hex digits of the 128-bit IPv6 form, IPv4 as IPv4-mapped
 * (::ffff:a.b.c.d). Equal-length hex strings order like the numbers, so equality, CIDR (a key range) and
 * `<`/`>` are plain string comparisons in both SQL dialects and in JavaScript.
 */

const V4_PREFIX = '00000000000000000000ffff';

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function v4Words(s: string): [number, number] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const b = [m[1], m[2], m[3], m[4]].map(Number);
  if (b.some((x) => x! > 255)) return null;
  return [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
}

function v6Words(s: string): number[] | null {
  if (s.length > 45 || s.includes('%')) return null;
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return null;
  const parseSide = (part: string, allowV4: boolean): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (allowV4 && i === groups.length - 1 && g.includes('.')) {
        const w = v4Words(g);
        if (!w) return null;
        out.push(w[0], w[1]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return null;
    }
    return out;
  };
  if (dbl < 0) {
    const w = parseSide(s, true);
    return w && w.length === 8 ? w : null;
  }
  const head = parseSide(s.slice(0, dbl), false);
  const tail = parseSide(s.slice(dbl + 2), true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

// Rows repeat the same few addresses; a bounded memo saves re-parsing them for every row.
const memo = new Map<string, string | null>();
const MEMO_MAX = 65536;

/** Key of an IPv4 or IPv6 address in text form, or null when it is neither. */
export function ipKey(text: string): string | null {
  const hit = memo.get(text);
  if (hit !== undefined) return hit;
  const key = parseKey(text);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(text, key);
  return key;
}

function parseKey(text: string): string | null {
  const v4 = v4Words(text);
  if (v4) return V4_PREFIX + hex4(v4[0]) + hex4(v4[1]);
  const v6 = v6Words(text);
  return v6 ? v6.map(hex4).join('') : null;
}

/** Whether the text is an IPv4 address (so a prefix length counts in IPv4 bits). */
export function isIpv4Text(text: string): boolean {
  return v4Words(text) !== null;
}

/**
 * Inclusive key range of address/prefix. For IPv4 the prefix counts IPv4 bits (0..32), for IPv6 0..128.
 * Returns null for a bad address or prefix. Host bits set in the address are ignored, as in `ip.addr == 10.1.2.3/8`.
 */
export function ipKeyRange(text: string, prefix: number | null): { lo: string; hi: string } | null {
  const key = ipKey(text);
  if (key === null) return null;
  if (prefix === null) return { lo: key, hi: key };
  const v4 = isIpv4Text(text);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (v4 ? 32 : 128)) return null;
  const bits = v4 ? 96 + prefix : prefix;
  let lo = '';
  let hi = '';
  for (let d = 0; d < 32; d++) {
    const nib = parseInt(key[d]!, 16);
    const keep = Math.max(0, Math.min(4, bits - d * 4));
    const mask = (0xf << (4 - keep)) & 0xf;
    lo += (nib & mask).toString(16);
    hi += ((nib & mask) | (~mask & 0xf)).toString(16);
  }
  return { lo, hi };
}

/** Lower-case, colon-separated MAC, or null. */
export function normalizeMac(text: string): string | null {
  const m =
    /^([0-9a-fA-F]{2})([:-])([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})$/.exec(
      text,
    );
  if (!m) return null;
  return [m[1], m[3], m[4], m[5], m[6], m[7]].join(':').toLowerCase();
}
