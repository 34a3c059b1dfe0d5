/**
 * Operating-system hints, each weak on its own and reported with its source: the initial IP TTL a host uses,
 * the DHCP parameter request list (option 55) of its client, and HTTP User-Agent strings.
 */

export interface OsHint {
  /** "Linux/Unix/macOS/Android/iOS", "Windows", "network device", or a more precise family */
  os: string;
  source: 'ttl' | 'dhcp' | 'http';
  detail: string;
}

/**
 * Observed TTL -> the default it most likely started from (64, 128 or 255; 32 for some old stacks), assuming the
 * packet crossed fewer hops than the gap to the next default.
 */
export function initialTtl(observed: number): number | null {
  if (!Number.isInteger(observed) || observed <= 0 || observed > 255) return null;
  if (observed <= 32) return 32;
  if (observed <= 64) return 64;
  if (observed <= 128) return 128;
  return 255;
}

export function ttlHint(observed: number): OsHint | null {
  const init = initialTtl(observed);
  if (init === null || init === 32) return null;
  const os =
    init === 64
      ? 'Linux/Unix/macOS/Android/iOS'
      : init === 128
        ? 'Windows'
        : 'network device (router, switch, printer) or Solaris';
  const hops = init - observed;
  return {
    os,
    source: 'ttl',
    detail: `TTL ${observed}: initial ${init}, ${hops} hop${hops === 1 ? '' : 's'} away`,
  };
}

// Option 55 lists as sent by common DHCP clients (the order is the fingerprint). Looked up whole; the rules below
// catch the rest by the options only one family asks for.
const DHCP_EXACT: Record<string, string> = {
  '1,3,6,15,31,33,43,44,46,47,119,121,249,252': 'Windows 10/11',
  '1,15,3,6,44,46,47,31,33,121,249,43': 'Windows 7/8',
  '1,15,3,6,44,46,47,31,33,121,249,43,252': 'Windows 7/8',
  '1,15,3,6,44,46,47,31,33,249,43': 'Windows XP/Vista',
  '1,121,3,6,15,119,252,95,44,46': 'macOS',
  '1,121,3,6,15,119,252': 'iOS/iPadOS',
  '1,121,3,6,15,108,114,119,252,95,44,46': 'macOS',
  '1,121,3,6,15,108,114,119,252': 'iOS/iPadOS',
  '1,3,6,15,26,28,51,58,59,43': 'Android',
  '1,3,6,15,26,28,51,58,59,43,114': 'Android',
  '1,3,6,15,26,28,51,58,59,43,114,108': 'Android',
  '1,28,2,3,15,6,119,12,44,47,26,121,42': 'Linux (ISC dhclient)',
  '1,3,6,12,15,28,42,51,54,58,59,119,121': 'Linux (systemd-networkd)',
};

export function dhcpHint(prl: string | null | undefined, vendorClass?: string | null): OsHint | null {
  const vc = vendorClass ?? '';
  if (/^MSFT/i.test(vc))
    return { os: 'Windows', source: 'dhcp', detail: `vendor class "${vc.slice(0, 40)}"` };
  if (/^android-dhcp/i.test(vc))
    return { os: 'Android', source: 'dhcp', detail: `vendor class "${vc.slice(0, 40)}"` };
  if (!prl) return null;
  const list = prl.replace(/\s+/g, '');
  if (!/^\d{1,3}(,\d{1,3})*$/.test(list)) return null;
  const exact = DHCP_EXACT[list];
  if (exact) return { os: exact, source: 'dhcp', detail: `option 55 ${list}` };
  const opts = new Set(list.split(',').map(Number));
  // 249 (classless routes, Microsoft) and 252 (WPAD) together are asked for by Windows only.
  if (opts.has(249) && opts.has(43))
    return { os: 'Windows', source: 'dhcp', detail: `option 55 has 249 and 43` };
  // 95 (LDAP) is asked for by Apple clients.
  if (opts.has(95) && opts.has(252))
    return { os: 'macOS/iOS', source: 'dhcp', detail: `option 55 has 95 and 252` };
  if (opts.has(114) && opts.has(108) && !opts.has(95))
    return { os: 'iOS/macOS or Android', source: 'dhcp', detail: `option 55 has 108 and 114` };
  return null;
}

/** OS family from a User-Agent. Order matters: Android UAs say Linux, iOS UAs say "like Mac OS X". */
export function userAgentHint(ua: string | null | undefined): OsHint | null {
  if (!ua) return null;
  const s = ua.slice(0, 512);
  const win = /Windows NT (\d+\.\d+)/.exec(s);
  const rules: [RegExp, string][] = [
    [/Android/, 'Android'],
    [/iPhone|iPad|iPod|CFNetwork.*Darwin/, 'iOS/iPadOS'],
    [/CrOS/, 'ChromeOS'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/Windows/, 'Windows'],
    [/Linux|X11/, 'Linux'],
  ];
  for (const [re, os] of rules) {
    if (re.test(s)) {
      const name = os === 'Windows' && win ? `Windows (NT ${win[1]})` : os;
      return { os: name, source: 'http', detail: `User-Agent "${s.slice(0, 120)}"` };
    }
  }
  return null;
}
