/** What the analyses read: flows, optional application rows and optional enrichment look-ups. */
import type { FlowRow } from '../shared/rows.js';
import type { CredentialInput, DnsInput, FileInput, HttpInput, TlsInput } from '../enrich/name-inputs.js';
import type { PassiveNames } from '../enrich/passive-names.js';
import type { TorMatch } from '../enrich/tor-relays.js';
import type { Blocklist } from './blocklist-list.js';

export interface TorMatcher {
  match(ip: string, port?: number | null): TorMatch | null;
}

export interface AnalysisInput {
  flows: readonly FlowRow[];
  dns?: readonly DnsInput[];
  http?: readonly HttpInput[];
  tls?: readonly TlsInput[];
  credentials?: readonly CredentialInput[];
  files?: readonly FileInput[];
  /** host names seen in the capture; built from dns/tls/http when absent */
  names?: PassiveNames;
  /** relay list (bundled snapshot or the user's); no list means heuristic Tor detection only */
  tor?: TorMatcher | null;
  /** --blocklist FILE, parsed */
  blocklist?: Blocklist | null;
  /** flows known to have switched to TLS through STARTTLS/STLS (when the parser reports it) */
  starttlsFlowIds?: ReadonlySet<number>;
}
