/**
 * Small reader of the tshark oracle files (/work/shared/corpus/oracle/<capture>.txt, format documented at the
 * top of /work/shared/corpus/oracle.sh) for the capture-reader tests: the [summary] rows and the file-header
 * rows of [link_types]. Test support only.
 */
// eslint-disable-next-line no-restricted-imports -- test support, never imported by the engine
import { existsSync, readFileSync, readdirSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports -- test support, never imported by the engine
import { join } from 'node:path';

export const CORPUS_DIR = process.env.PCAPLENS_CORPUS ?? '/work/shared/corpus';
export const ORACLE_DIR = join(CORPUS_DIR, 'oracle');

export interface OracleSummary {
  file: string;
  /** summary rows; a key that occurs on several rows keeps them all */
  summary: Map<string, string[]>;
  /** "header" rows of [link_types], in order */
  headerRows: string[];
}

export function corpusAvailable(): boolean {
  return existsSync(ORACLE_DIR);
}

/** Capture files of the corpus that have an oracle file, sorted by name. */
export function corpusFiles(): string[] {
  if (!corpusAvailable()) return [];
  return readdirSync(ORACLE_DIR)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.slice(0, -4))
    .filter((f) => existsSync(join(CORPUS_DIR, f)))
    .sort();
}

export function readOracle(capture: string): OracleSummary {
  const text = readFileSync(join(ORACLE_DIR, `${capture}.txt`), 'utf8');
  const summary = new Map<string, string[]>();
  const headerRows: string[] = [];
  let section = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) {
      section = line.trim();
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const key = line.slice(0, tab);
    const value = line.slice(tab + 1);
    if (section === '[summary]') {
      const rows = summary.get(key);
      if (rows) rows.push(value);
      else summary.set(key, [value]);
    } else if (section === '[link_types]' && key === 'header') headerRows.push(value);
  }
  return { file: capture, summary, headerRows };
}

/** The single value of a summary key (the first row if there are several); throws if absent. */
export function one(o: OracleSummary, key: string): string {
  const v = o.summary.get(key)?.[0];
  if (v === undefined) throw new Error(`${o.file}: oracle has no ${key}`);
  return v;
}

/** Summary key as an integer. */
export function num(o: OracleSummary, key: string): number {
  const v = Number(one(o, key));
  if (!Number.isInteger(v)) throw new Error(`${o.file}: oracle ${key} is not an integer`);
  return v;
}

/** Link type and snaplen written in the file header: one per pcap file, one per IDB for pcapng (file order). */
export function headerInterfaces(o: OracleSummary): { linkType: number; snaplen: number }[] {
  const out: { linkType: number; snaplen: number }[] = [];
  for (const row of o.headerRows) {
    const lt = /linktype=(\d+)/.exec(row);
    const sl = /snaplen=(\d+)/.exec(row);
    if (lt && sl) out.push({ linkType: Number(lt[1]), snaplen: Number(sl[1]) });
  }
  return out;
}
