/** The dated relay snapshot shipped in data/tor/ (see data/tor/SOURCE.md), and a user's list from a file. */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcaplensError } from '../shared/errors.js';
import { parsePlainTorList, parseTorList, type TorRelayList } from './tor-relays.js';

export const BUNDLED_TOR_DATE = '2024-02-27';

function dataDir(): string | null {
  // src/enrich -> ../../data ; dist/src/enrich -> ../../../data
  for (const rel of ['../../data/tor/', '../../../data/tor/']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  return null;
}

let bundled: TorRelayList | null = null;

/** Relays and exits of the snapshot merged into one list (exits flagged); null when data/ is not installed. */
export function bundledTorRelays(): TorRelayList | null {
  if (bundled) return bundled;
  const dir = dataDir();
  if (!dir) return null;
  const name = 'SecOps-Institute/Tor-IP-Addresses snapshot';
  const all = parsePlainTorList(readFileSync(dir + 'tor-nodes.lst', 'utf8'), name, BUNDLED_TOR_DATE);
  all.merge(
    parsePlainTorList(readFileSync(dir + 'tor-exit-nodes.lst', 'utf8'), name, BUNDLED_TOR_DATE, true),
  );
  bundled = all;
  return all;
}

/** --tor-relays FILE: plain list, consensus or Onionoo JSON; authoritative for the capture. */
export function loadTorListFile(path: string): TorRelayList {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PcaplensError('E_NOT_FOUND', `cannot read Tor list ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const list = parseTorList(text, basename(path));
  // the user chose this list for the capture: its matches are not aged (analyze/config.ts tor.listMaxAgeDays)
  list.info.authoritative = true;
  if (list.size === 0) throw new PcaplensError('E_USAGE', `${path}: no relay addresses found`);
  return list;
}
