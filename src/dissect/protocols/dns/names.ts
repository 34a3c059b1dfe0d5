/** Text names of DNS numbers (IANA "DNS Parameters" registry), for rows and filters. */

const TYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  13: 'HINFO',
  15: 'MX',
  16: 'TXT',
  17: 'RP',
  18: 'AFSDB',
  24: 'SIG',
  25: 'KEY',
  28: 'AAAA',
  29: 'LOC',
  32: 'NB',
  33: 'SRV',
  35: 'NAPTR',
  37: 'CERT',
  39: 'DNAME',
  41: 'OPT',
  43: 'DS',
  44: 'SSHFP',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  50: 'NSEC3',
  51: 'NSEC3PARAM',
  52: 'TLSA',
  59: 'CDS',
  60: 'CDNSKEY',
  64: 'SVCB',
  65: 'HTTPS',
  99: 'SPF',
  249: 'TKEY',
  250: 'TSIG',
  251: 'IXFR',
  252: 'AXFR',
  255: 'ANY',
  256: 'URI',
  257: 'CAA',
};

const RCODES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
];

export function dnsTypeName(t: number): string {
  return TYPES[t] ?? `TYPE${t}`;
}

export function dnsRcodeName(r: number): string {
  return RCODES[r] ?? `RCODE${r}`;
}

export function dnsClassName(c: number): string {
  // mDNS uses the top bit as the unicast-response / cache-flush flag
  const k = c & 0x7fff;
  if (k === 1) return 'IN';
  if (k === 3) return 'CH';
  if (k === 4) return 'HS';
  if (k === 255) return 'ANY';
  return `CLASS${k}`;
}
