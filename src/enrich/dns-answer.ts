/**
 * One DNS answer as the application layer writes it (shared/app-rows.ts, DnsRow.answers): "owner TYPE value",
 * e.g. "www.example.com A 192.0.2.1", "2.0.0.10.in-addr.arpa PTR printer.local". The owner is the record's own
 * name, which in a CNAME chain or an mDNS response is not the name asked. Owners are taken up to the first
 * known type token, so an NBNS name with spaces still parses.
 */

export interface DnsAnswer {
  owner: string;
  /** record type mnemonic as written (A, AAAA, CNAME, PTR, NB, ..., TYPE<n>) */
  type: string;
  /** rendered RDATA, "" when the app layer had no text for it */
  value: string;
}

/** Mnemonics the app layer writes (RFC 1035, 3596, 1002 NB/NBSTAT and later types); TYPE<n> for the rest. */
const TYPES = new Set(
  (
    'A NS MD MF CNAME SOA MB MG MR NULL WKS PTR HINFO MINFO MX TXT RP AFSDB SIG KEY AAAA LOC NB NBSTAT SRV ' +
    'NAPTR CERT DNAME OPT DS SSHFP RRSIG NSEC DNSKEY NSEC3 NSEC3PARAM TLSA CDS CDNSKEY SVCB HTTPS SPF TKEY ' +
    'TSIG IXFR AXFR ANY URI CAA'
  ).split(' '),
);

const MAX_TOKENS = 64;

function isType(tok: string): boolean {
  return TYPES.has(tok) || /^TYPE\d{1,5}$/.test(tok);
}

/** Parses "owner TYPE value"; null when no type token follows an owner. */
export function parseDnsAnswer(text: string): DnsAnswer | null {
  let start = text.indexOf(' ');
  for (let n = 0; start >= 0 && n < MAX_TOKENS; n++) {
    const end = text.indexOf(' ', start + 1);
    const tok = end < 0 ? text.slice(start + 1) : text.slice(start + 1, end);
    if (isType(tok)) {
      return { owner: text.slice(0, start), type: tok, value: end < 0 ? '' : text.slice(end + 1).trim() };
    }
    start = end;
  }
  return null;
}
