/**
 * Every threshold the analyses use, in one place. Each number says what it bounds and why it sits where it does.
 * Change by passing a partial object to runAnalyses (deep-merged over these defaults).
 */

export interface AnalysisConfig {
  /** alerts carry at most this many flow ids (flow_count keeps the full number) */
  maxFlowIdsPerAlert: number;
  portScan: {
    /** distinct destination ports on one host that got no answer or a reset, from one source, within the window.
     *  15 follows Zeek's scan policy; browsers and mail clients stay far below it. */
    minPorts: number;
    windowSeconds: number;
    /** UDP: distinct ports probed without a reply */
    minUdpPorts: number;
  };
  hostSweep: {
    /** distinct hosts tried on one port without answer/with reset, from one source, within the window (Zeek: 25) */
    minHosts: number;
    windowSeconds: number;
    /** ICMP echo sweeps: distinct hosts pinged (answered or not) within the window */
    minIcmpHosts: number;
  };
  beaconing: {
    /** connections from one host to one destination (address, port, protocol) needed to judge regularity */
    minConnections: number;
    /** shortest median interval considered: faster repeats are page loads and retries, not check-ins */
    minPeriodSeconds: number;
    /** relative spread (MAD / median) at which the interval score reaches 0; 0 spread scores 1 */
    jitterZero: number;
    /** relative spread of connection sizes at which the size score reaches 0 */
    sizeSpreadZero: number;
    /** weight of the interval score; the size score gets the rest */
    intervalWeight: number;
    /** combined score needed to alert */
    minScore: number;
  };
  dnsTunnel: {
    /** distinct subdomains of one registered domain asked by the capture */
    minUniqueSubdomains: number;
    /** average length of those subdomain parts (tunnels pack data into long labels) */
    minAvgSubdomainLength: number;
    /** Shannon entropy (bits per character) of the concatenated subdomain parts */
    minEntropy: number;
    /** TXT/NULL/ANY queries towards one registered domain: alone enough when this many */
    minTxtNullQueries: number;
  };
  dga: {
    /** second-level label length from which a name can look generated */
    minLabelLength: number;
    /** Shannon entropy (bits per character) of that label */
    minEntropy: number;
    /** DGA-like distinct names one client must ask before an alert (one odd name is noise) */
    minNames: number;
    /** NXDOMAIN answers to DGA-like names that raise the score to its maximum */
    nxdomainBoost: number;
  };
  unresolved: {
    /** score (0..1) needed to alert for a public destination no name in the capture points to; above 0.6 so that
     *  well-known ports (which score at most 0.6) never alert: cached look-ups are too common there */
    minScore: number;
  };
  insecure: {
    /** alert on flows to cleartext-protocol ports even without parsed credentials */
    flagPortsWithoutCredentials: boolean;
  };
  tor: {
    /** score needed for the Tor-like TLS heuristic (no relay list hit) */
    minHeuristicScore: number;
    /**
     * days between the relay list's date and the capture (either side) past which a list match is weaker: relays
     * join and leave every day and their addresses get reassigned, so a list witnesses captures near its date
     * only. 90 days (a quarter) is a chosen bound, not a measured one. Past it a match gets half its score and
     * low severity. A list the user gives (--tor-relays) is taken as authoritative and never aged.
     */
    listMaxAgeDays: number;
  };
  cleartextExecutable: {
    /**
     * JavaScript and CSS that pages load over plain HTTP. Decided: "off" (no alert). A browsing capture loads
     * dozens of them per page; as medium alerts they buried the executables (40 alerts on two corpus captures),
     * and plain-HTTP browsing is already visible in the http table. "info" gives one info alert per file for
     * whoever wants them. A .js served as a download (not a script type) is not a web script: low alert always.
     */
    webScripts: 'off' | 'info';
  };
}

export const DEFAULT_CONFIG: AnalysisConfig = {
  maxFlowIdsPerAlert: 1000,
  portScan: { minPorts: 15, windowSeconds: 300, minUdpPorts: 15 },
  hostSweep: { minHosts: 25, windowSeconds: 300, minIcmpHosts: 25 },
  beaconing: {
    minConnections: 6,
    minPeriodSeconds: 5,
    jitterZero: 0.5,
    sizeSpreadZero: 0.5,
    intervalWeight: 0.7,
    minScore: 0.8,
  },
  dnsTunnel: { minUniqueSubdomains: 50, minAvgSubdomainLength: 20, minEntropy: 3.5, minTxtNullQueries: 50 },
  dga: { minLabelLength: 12, minEntropy: 3.3, minNames: 5, nxdomainBoost: 5 },
  unresolved: { minScore: 0.65 },
  insecure: { flagPortsWithoutCredentials: true },
  tor: { minHeuristicScore: 0.6, listMaxAgeDays: 90 },
  cleartextExecutable: { webScripts: 'off' },
};

export type AnalysisConfigInput = {
  [K in keyof AnalysisConfig]?: AnalysisConfig[K] extends object
    ? Partial<AnalysisConfig[K]>
    : AnalysisConfig[K];
};

export function resolveConfig(over: AnalysisConfigInput = {}): AnalysisConfig {
  const out = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    if (v && typeof v === 'object' && cur && typeof cur === 'object') out[k] = { ...cur, ...v };
    else if (v !== undefined) out[k] = v;
  }
  return out as unknown as AnalysisConfig;
}
