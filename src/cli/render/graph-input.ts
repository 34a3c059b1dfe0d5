/** Analyses the captures and builds the graph model the picture commands share. */
import type { AnalyzeFilesResult } from '../../engine/analyze-files.js';
import { buildGraph, type GraphOptions } from '../../views/graph-model.js';
import type { GraphModel } from '../../views/graph-types.js';
import { tagsFromFlows } from '../../views/traffic-class.js';
import { terminalSafe } from '../format/terminal-safe.js';
import type { CliIo } from '../io.js';
import { runAnalysis } from '../run-analysis.js';
import { GeoLookup } from '../../enrich/geoip.js';
import { bundledGeoSources } from '../../enrich/geoip-files.js';
import type { GroupBy, HostInfo } from '../../views/graph-group.js';

export interface GraphInput {
  result: AnalyzeFilesResult;
  model: GraphModel;
}

/**
 * Traffic classes come from the flow rows' detected app (web, insecure) until the analyzers hand over
 * per-flow tags (tor, malicious need enrichment data).
 */
export async function analyzeAndGraph(files: string[], io: CliIo, opts: GraphOptions): Promise<GraphInput> {
  const result = await runAnalysis(files, io);
  const model = buildGraph(result.flows, result.hosts, {
    ...opts,
    info: opts.info ?? geoInfo(opts.groupBy ?? 'subnet'),
    tags: opts.tags ?? tagsFromFlows(result.flows),
  });
  return { result, model };
}

/** The model's notes (grouping, skipped flows) on stderr, so a reader knows what the picture leaves out. */
export function printNotes(io: CliIo, verb: string, model: GraphModel): void {
  for (const n of model.notes) io.stderr.write(terminalSafe(`pcaplens: ${verb}: ${n}`) + '\n');
}

/** ASN/country look-up over the bundled offline data, loaded only when grouping needs it. */
export function geoInfo(by: GroupBy): HostInfo | undefined {
  if (by === 'subnet') return undefined;
  const geo = new GeoLookup(bundledGeoSources().sources);
  return (ip) => {
    const g = geo.lookup(ip);
    return { asn: g.asn, as_org: g.as_org, country: g.country };
  };
}
