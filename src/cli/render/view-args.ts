/** Command-line options shared by graph, top, chord, matrix, timeline and report (node:util parseArgs). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PcaplensError } from '../../shared/errors.js';
import type { GraphLayer, L4Mode } from '../../views/graph-types.js';
import { isTrafficClass, TRAFFIC_CLASSES, type TrafficClass } from '../../views/traffic-class.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  files: string[];
}

export function parseViewArgs(argv: string[], verb: string, options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    });
    return { values: values as Parsed['values'], files: positionals };
  } catch (e) {
    const err = e as { message?: string };
    throw new PcaplensError(
      'E_USAGE',
      `${verb}: ${(err.message ?? String(e)).split('\n')[0]} (see pcaplens ${verb} --help)`,
    );
  }
}

export function usage(verb: string, message: string): PcaplensError {
  return new PcaplensError('E_USAGE', `${verb}: ${message} (see pcaplens ${verb} --help)`);
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

export function choice<T extends string>(
  p: Parsed,
  verb: string,
  name: string,
  allowed: readonly T[],
  dflt: T,
): T {
  const v = str(p, name);
  if (v === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(v)) {
    throw usage(verb, `--${name} must be one of ${allowed.join(', ')}, not '${v}'`);
  }
  return v as T;
}

export function intOption(
  p: Parsed,
  verb: string,
  name: string,
  dflt: number,
  min: number,
  max: number,
): number {
  const v = str(p, name);
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw usage(verb, `--${name} must be a whole number from ${min} to ${max}, not '${v}'`);
  }
  return Number(v);
}

export function layerOption(p: Parsed, verb: string): GraphLayer {
  return Number(choice(p, verb, 'layer', ['2', '3', '4'], '3')) as GraphLayer;
}

export function l4Option(p: Parsed, verb: string, dflt: L4Mode): L4Mode {
  return choice(p, verb, 'l4', ['socket', 'service'], dflt);
}

/** --only web,tor (or repeated --only). */
export function onlyOption(p: Parsed, verb: string): TrafficClass[] {
  const raw = p.values.only;
  const list = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).flatMap((s) => s.split(','));
  const out: TrafficClass[] = [];
  for (const s of list.map((x) => x.trim()).filter(Boolean)) {
    if (!isTrafficClass(s)) throw usage(verb, `--only takes ${TRAFFIC_CLASSES.join(', ')}, not '${s}'`);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

export function needFiles(p: Parsed, verb: string): string[] {
  if (p.files.length === 0) throw usage(verb, 'no capture file given');
  return p.files;
}

export function needOut(p: Parsed, verb: string): string {
  const out = str(p, 'out');
  if (!out) throw usage(verb, 'no output given (-o OUT)');
  return out;
}

export const GRAPH_OPTIONS: Options = {
  layer: { type: 'string' },
  l4: { type: 'string' },
  only: { type: 'string', multiple: true },
  'max-nodes': { type: 'string' },
  'group-by': { type: 'string' },
};
