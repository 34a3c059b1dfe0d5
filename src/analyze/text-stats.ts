/** Small string statistics for names: entropy, vowel share, registered domain. */

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (!s.length) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// Second-level labels under which country-code registries register names (co.uk, com.au, ne.jp, ...).
const SLD = new Set([
  'co',
  'com',
  'net',
  'org',
  'gov',
  'edu',
  'ac',
  'ne',
  'or',
  'go',
  'gv',
  'mil',
  'nic',
  'ltd',
  'plc',
]);

/**
 * Registered domain (approximation of the public-suffix rule without the list): the last two labels, or three
 * when the name ends in <known SLD>.<two-letter ccTLD>.
 */
export function registeredDomain(name: string): string {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length <= 2) return labels.join('.');
  const tld = labels[labels.length - 1]!;
  const sld = labels[labels.length - 2]!;
  const n = tld.length === 2 && SLD.has(sld) ? 3 : 2;
  return labels.slice(-n).join('.');
}

/** Does a label read like generated text rather than words? Few vowels, long consonant runs, or digits mixed in. */
export function unwordlike(label: string): boolean {
  const letters = label.replace(/[^a-z]/g, '');
  const digits = label.length - letters.length;
  const vowels = (letters.match(/[aeiouy]/g) ?? []).length;
  const vr = letters.length ? vowels / letters.length : 0;
  return vr < 0.25 || /[bcdfghjklmnpqrstvwxz]{5,}/.test(letters) || (digits >= 3 && letters.length >= 3);
}
