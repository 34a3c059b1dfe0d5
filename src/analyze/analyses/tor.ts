/**
 * Tor: connections to addresses on a relay list (exact, dated by the list), and, without a list hit, TLS sessions
 * that look like Tor's link handshake (random "www.<base32>.com" SNI, random "www.<base32>.net" certificate names,
 * relay ports, a name no DNS query in the capture asked for). The second is a heuristic and says so.
 * A list says who ran a relay around its date, not at the time of the capture: every list match names the list's
 * date and the capture's time, and a bundled snapshot more than config.tor.listMaxAgeDays away from the capture
 * (either side) gives a weaker, low-severity alert. A list the user gave (--tor-relays) is taken as it is.
 */
import { commonName, torLikeName, TOR_RELAY_PORTS } from '../../enrich/tor-relays.js';
import type { TorMatch } from '../../enrich/tor-relays.js';
import type { FlowRow } from '../../shared/rows.js';
import { clamp01, flowIds, isoSeconds, minMaxTs, plural, round, type AlertDraft } from '../alert.js';
import type { AnalysisConfig } from '../config.js';
import type { AnalysisInput } from '../input.js';

/** Whole days between a list's ISO date and a capture time, either way; null when the list has no date. */
function daysApart(listDate: string | null, captureTs: string): number | null {
  if (!listDate) return null;
  const list = Date.parse(`${listDate.slice(0, 10)}T00:00:00Z`) / 1000;
  if (Number.isNaN(list)) return null;
  return Math.floor(Math.abs(isoSeconds(captureTs) - list) / 86400);
}

/** True when a list match is too far in time from `ts` to be taken as it is (see the header). */
export function staleTorMatch(m: TorMatch, ts: string, maxAgeDays: number): boolean {
  if (m.authoritative) return false;
  const days = daysApart(m.date, ts);
  return days === null || days > maxAgeDays;
}

export function detectTor(input: AnalysisInput, cfg: AnalysisConfig): AlertDraft[] {
  const out: AlertDraft[] = [];
  const listed = new Set<string>();
  if (input.tor) {
    const groups = new Map<
      string,
      {
        flows: FlowRow[];
        exit: boolean;
        portMatched: boolean | null;
        list: string;
        date: string | null;
        authoritative: boolean;
      }
    >();
    for (const f of input.flows) {
      // Outbound use: the responder is the relay. Inbound: a relay (usually an exit) reached a local service.
      // The destination is asked first; two plain calls, no pair of tuples per flow.
      let relay = f.dst_ip;
      let peer = f.src_ip;
      let dir: 'to' | 'from' = 'to';
      let m = input.tor.match(relay, f.dst_port);
      if (!m) {
        relay = f.src_ip;
        peer = f.dst_ip;
        dir = 'from';
        m = input.tor.match(relay, f.src_port);
        if (!m) continue;
      }
      const k = `${dir}|${peer}|${relay}`;
      let g = groups.get(k);
      if (!g)
        groups.set(
          k,
          (g = {
            flows: [],
            exit: m.exit,
            portMatched: m.port_matched,
            list: m.list,
            date: m.date,
            authoritative: m.authoritative,
          }),
        );
      g.flows.push(f);
      if (m.port_matched === true) g.portMatched = true;
      listed.add(relay);
    }
    for (const [key, g] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const [dir, peer, relay] = key.split('|') as [string, string, string];
      const ports = [...new Set(g.flows.map((f) => (dir === 'to' ? f.dst_port : f.src_port)))]
        .filter((p) => p !== null)
        .sort((a, b) => a! - b!);
      const role = g.exit ? 'Tor exit relay' : 'Tor relay';
      const when = minMaxTs(g.flows);
      const days = daysApart(g.date, when.first_ts);
      // an undated bundled list cannot be placed in time: as doubtful as a stale one
      const stale = !g.authoritative && (days === null || days > cfg.tor.listMaxAgeDays);
      const listText = `the list "${g.list}"${g.date ? ` of ${g.date}` : ' (undated)'}`;
      const timing = stale
        ? `; the capture (${when.first_ts.slice(0, 10)}) is ${days === null ? 'of unknown distance' : `${days} days`} from the list's date, so ${relay} may not have run a relay then`
        : ` (capture ${when.first_ts.slice(0, 10)}${g.authoritative ? ', list given for this capture' : ''})`;
      out.push({
        key: `tor_relay|${key}`,
        kind: 'tor_relay',
        severity: stale ? 'low' : dir === 'to' ? 'medium' : 'low',
        score: round((g.portMatched === false ? 0.7 : 1) * (stale ? 0.5 : 1)),
        heuristic: false,
        ...when,
        hosts: [peer, relay],
        ...flowIds(
          g.flows.map((f) => f.id),
          cfg.maxFlowIdsPerAlert,
        ),
        explanation:
          dir === 'to'
            ? `${peer} connected to ${relay}, a ${role} on ${listText} (${plural(g.flows.length, 'flow')})${timing}.`
            : `${relay}, a ${role} on ${listText}, connected to ${peer} (${plural(g.flows.length, 'flow')})${timing}.`,
        evidence: {
          list: g.list,
          list_date: g.date,
          capture_ts: when.first_ts,
          days_from_list: days,
          list_authoritative: g.authoritative,
          stale_list: stale,
          exit: g.exit,
          port_matched: g.portMatched,
          ports: ports as number[],
          direction: dir === 'to' ? 'outbound' : 'inbound',
        },
        rule: `tor_relay: flow endpoint is on the Tor relay list (address; port too when the list has ports); a bundled list more than ${cfg.tor.listMaxAgeDays} days from the capture halves the score and gives low severity`,
      });
    }
  }

  // Heuristic over TLS rows.
  // the names DNS asked, and the flows by id: made on the first TLS row with a sign (most captures have none)
  let askedSet: Set<string> | null = null;
  const asked = (): Set<string> => {
    if (!askedSet) {
      askedSet = new Set<string>();
      // each distinct spelling normalised once: a capture asks the same names over and over
      const raw = new Set<string>();
      for (const d of input.dns ?? []) {
        const q = d.query_name;
        if (!q || raw.has(q)) continue;
        raw.add(q);
        askedSet.add(q.toLowerCase().replace(/\.$/, ''));
      }
    }
    return askedSet;
  };
  const groups = new Map<
    string,
    {
      flowIds: number[];
      ts: { first_ts: string; last_ts: string }[];
      score: number;
      signs: Set<string>;
      sni: string[];
    }
  >();
  let flowById: Map<number, FlowRow> | null = null;
  for (const t of input.tls ?? []) {
    if (listed.has(t.server_ip)) continue;
    const signs: string[] = [];
    let score = 0;
    const sni = t.server_name?.toLowerCase() ?? null;
    if (torLikeName(sni, 'com')) {
      score += 0.45;
      signs.push('random www.<base32>.com SNI');
    }
    const subj = commonName(t.cert_subject);
    const iss = commonName(t.cert_issuer);
    if (torLikeName(subj, 'net') || t.cert_san.some((n) => torLikeName(n, 'net'))) {
      score += 0.3;
      signs.push('random www.<base32>.net certificate subject');
    }
    if (torLikeName(iss)) {
      score += 0.1;
      signs.push('random www.<base32> certificate issuer');
    }
    if (t.server_port !== null && TOR_RELAY_PORTS.has(t.server_port) && t.server_port !== 443) {
      score += 0.15;
      signs.push(`relay port ${t.server_port}`);
    }
    // no sign, no alert: what follows only weighs the signs
    if (!signs.length) continue;
    // A real client looks its server's name up first; Tor never does. Only meaningful when DNS was captured.
    if (sni && asked().has(sni)) score *= 0.3;
    else if (sni && asked().size > 0) {
      score += 0.15;
      signs.push('SNI never asked of DNS in this capture');
    }
    const k = `${t.client_ip}|${t.server_ip}|${t.server_port ?? ''}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { flowIds: [], ts: [], score: 0, signs: new Set(), sni: [] }));
    g.flowIds.push(t.flow_id);
    flowById ??= new Map(input.flows.map((f) => [f.id, f]));
    const f = flowById.get(t.flow_id);
    g.ts.push(f ? { first_ts: f.first_ts, last_ts: f.last_ts } : { first_ts: t.ts, last_ts: t.ts });
    g.score = Math.max(g.score, score);
    for (const s of signs) g.signs.add(s);
    if (sni && !g.sni.includes(sni) && g.sni.length < 10) g.sni.push(sni);
  }
  for (const [key, g] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (g.score < cfg.tor.minHeuristicScore) continue;
    const [client, server, port] = key.split('|') as [string, string, string];
    out.push({
      key: `tor_like_tls|${key}`,
      kind: 'tor_like_tls',
      severity: 'low',
      score: round(clamp01(g.score)),
      heuristic: true,
      ...minMaxTs(g.ts),
      hosts: [client, server],
      ...flowIds(g.flowIds, cfg.maxFlowIdsPerAlert),
      explanation: `TLS from ${client} to ${server}:${port} looks like Tor's handshake (${[...g.signs].join('; ')}), though ${server} is on no relay list given.`,
      evidence: {
        signs: [...g.signs],
        server_names: g.sni,
        sessions: g.flowIds.length,
        relay_list_checked: Boolean(input.tor),
      },
      rule: `tor_like_tls: heuristic score >= ${cfg.tor.minHeuristicScore} (SNI 0.45, certificate subject 0.3, issuer 0.1, relay port 0.15, SNI not looked up while DNS was captured 0.15; x0.3 when DNS asked for the SNI)`,
    });
  }
  return out;
}
