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
import { APP_TABLES, type AppRowSink, type AppTable } from '../../engine/app-tables.js';
import { runStoredSummary, STORED_HELP } from '../stored-table.js';

export const summaryCommand: Command = {
  name: 'summary',
  summary: 'what is in the captures: files, formats, link types, totals, time span, protocols, problems',
  help: `Usage: pcaplens summary <capture...> [--format json|csv|table] [--tables] [--threads N]

Per file: format (pcap/pcapng, "+gzip" when compressed), link types, packets, bytes, first/last time and the
problems found (with their byte offsets). Totals over all files, frames per protocol, number of flows and hosts.
json prints one object; csv and table print field/value pairs (nested fields with dotted names).

Options:
${FORMAT_HELP}
  --tables          also decode every application table and count its rows (app_rows: dns, http, tls, ...):
                    the full application-layer run, as each table command would make its rows (with @ID:
                    the rows the store holds per table)
${THREADS_HELP}

${STORED_HELP}

Example:
  pcaplens summary day1.pcap day2.pcap.gz
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    if (isStoredRef(argv)) return runStoredSummary(argv, io, this.help);
    const args = parseTableArgs(argv, 'summary', io.stdout.isTTY === true, {
      extra: { threads: { type: 'string' }, tables: { type: 'boolean' } },
    });
    if (args.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const threads = threadsArg(args.values.threads, 'summary');
    // only totals are printed: flows and application rows are dropped as they come (memory bounded by the
    // live flows); the application layer still runs for its problems (reassembly limits), and with --tables
    // makes every table's rows to count them
    const counts = args.values.tables === true ? appRowCounts() : null;
    const { summary: read } = await runAnalysis(
      args.files,
      io,
      discardFlows,
      { onRow: counts ? counts.sink : discardRows },
      { threads, tables: counts ? APP_TABLES : [], hostCount: true },
    );
    // the data sets hosts/alerts/import would use, with versions and dates (as import keeps them)
    const summary = {
      ...read,
      ...(counts ? { app_rows: counts.rows } : {}),
      enrichment_sources: defaultEnrichment().sources(),
    };
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

/** Rows per application table, counted as the layer makes them (and dropped). */
function appRowCounts(): { rows: Record<AppTable, number>; sink: AppRowSink } {
  const rows = Object.fromEntries(APP_TABLES.map((t) => [t, 0])) as Record<AppTable, number>;
  return { rows, sink: (table) => void rows[table]++ };
}
