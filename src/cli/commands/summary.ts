import { parseTableArgs } from '../args.js';
import { flatten } from '../format/cell.js';
import { csvLine } from '../format/csv.js';
import { jsonObject } from '../format/json.js';
import { renderKeyValue } from '../format/table.js';
import { writeOut, type CliIo } from '../io.js';
import { discardFlows, discardRows, runAnalysis, threadsArg, THREADS_HELP } from '../run-analysis.js';
import { defaultEnrichment } from '../../engine/enrich-sources.js';
import { FORMAT_HELP, type Command } from './command.js';
import { isStoredRef } from '../store-args.js';
import { runStoredSummary, STORED_HELP } from '../stored-table.js';

export const summaryCommand: Command = {
  name: 'summary',
  summary: 'what is in the captures: files, formats, link types, totals, time span, protocols, problems',
  help: `Usage: pcaplens summary <capture...> [--format json|csv|table] [--threads N]

Per file: format (pcap/pcapng, "+gzip" when compressed), link types, packets, bytes, first/last time and the
problems found (with their byte offsets). Totals over all files, frames per protocol, number of flows and hosts.
json prints one object; csv and table print field/value pairs (nested fields with dotted names).

Options:
${FORMAT_HELP}
${THREADS_HELP}

${STORED_HELP}

Example:
  pcaplens summary day1.pcap day2.pcap.gz
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    if (isStoredRef(argv)) return runStoredSummary(argv, io, this.help);
    const args = parseTableArgs(argv, 'summary', io.stdout.isTTY === true, {
      extra: { threads: { type: 'string' } },
    });
    if (args.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const threads = threadsArg(args.values.threads, 'summary');
    // only totals are printed: flows and application rows are dropped as they come (memory bounded by the
    // live flows); the application layer still runs for its problems (reassembly limits)
    const { summary: read } = await runAnalysis(
      args.files,
      io,
      discardFlows,
      { onRow: discardRows },
      { threads, tables: [], hostCount: true },
    );
    // the data sets hosts/alerts/import would use, with versions and dates (as import keeps them)
    const summary = { ...read, enrichment_sources: defaultEnrichment().sources() };
    if (args.format === 'json') {
      await writeOut(io.stdout, jsonObject(summary));
    } else {
      const pairs = flatten(summary);
      if (args.format === 'csv') {
        await writeOut(io.stdout, csvLine(['field', 'value']) + pairs.map((p) => csvLine(p)).join(''));
      } else {
        await writeOut(io.stdout, renderKeyValue(pairs));
      }
    }
    return 0;
  },
};
