/**
 * The alerts golden file: every alert the fixtures and the team corpus produce, per capture (kind, severity,
 * hosts, explanation), through the same path as `pcaplens alerts` (application layer on, bundled Tor snapshot,
 * no blocklist). Regenerated on purpose only: `npx tsx scripts/gen-alerts-golden.ts`, then reviewed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles } from '../../src/engine/analyze-files.js';
import { detectAlerts } from '../../src/engine/enrich-run.js';
import { bundledTorRelays } from '../../src/enrich/tor-relays-data.js';
import { isPcaplensError } from '../../src/shared/errors.js';
import { CORPUS_DIR, FIXTURE_DIR } from './paths.js';

export const ALERTS_GOLDEN = new URL('./alerts.json', import.meta.url).pathname;

export interface GoldenAlert {
  kind: string;
  severity: string;
  hosts: string[];
  explanation: string;
}

const CAPTURE = /\.(pcap|pcapng|cap)$/;

/** Capture name -> path: the corpus copy wins over the fixture of the same name (they are the same file). */
export function goldenCaptures(): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of [FIXTURE_DIR, CORPUS_DIR]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) if (CAPTURE.test(name)) out.set(name, join(dir, name));
  }
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/** The alerts of one capture as the golden file keeps them; null when the capture cannot be read at all. */
export async function goldenAlertsOf(path: string): Promise<GoldenAlert[] | null> {
  let result;
  try {
    result = await analyzeFiles([path]);
  } catch (e) {
    if (isPcaplensError(e)) return null;
    throw e;
  }
  const alerts = detectAlerts(result, { tor: bundledTorRelays() });
  return alerts.map((a) => ({
    kind: a.kind,
    severity: a.severity,
    hosts: a.hosts,
    explanation: a.explanation,
  }));
}
