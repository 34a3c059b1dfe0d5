import { parseTableArgs } from '../args.js';
import { FLOW_COLUMNS, FLOW_TABLE_COLUMNS } from '../columns.js';
import type { CliIo } from '../io.js';
import { runAnalysis } from '../run-analysis.js';
import { FILTER_HELP, FORMAT_HELP, type Command } from './command.js';
import { writeRows } from './table-output.js';
import { RowStream } from '../format/row-stream.js';
import { FlowJsonPipe } from '../format/flow-json-pipe.js';
import { defaultFlowThreads } from '../../engine/parallel/range-split.js';
import { isStoredRef, STORED_HELP } from '../store-args.js';

export const flowsCommand: Command = {
  name: 'flows',
  summary: 'conversations (TCP/UDP/ICMP/... 5-tuples), one row each',
  help: `Usage: pcaplens flows <capture...> [--format json|csv|table] [--filter EXPR]

One row per conversation: protocol, endpoints (src = the side that sent first), packets and bytes each way
(bytes are frame lengths on the wire), first/last time, application (by port tables and payload heuristics; the
application layer's own tables are other commands), TCP state, Community ID.
Several captures are merged in time order. gzip-compressed captures are read directly.
json and csv rows are written as conversations end (a closed TCP connection a minute after its last packet,
any other conversation after ten idle minutes of capture time, or at the end of the input), so output starts
early and finished conversations are not held in memory; sort by id for start order.
The table view is sorted by id.
PCAPLENS_FLOW_THREADS=2 reads one large classic pcap file (64 MiB or more, not gzip) on two threads, each
from its own part of the file: the same rows and ids (json/csv rows may come in another order), more CPU time
and memory; on two cores it is not faster than one thread (bench/README.md).

Options:
${FORMAT_HELP}
${FILTER_HELP}

${STORED_HELP}

Example:
  pcaplens flows traffic.pcapng --format csv > flows.csv
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    // the store and the filter language load only for the runs that use them: a flows run starts sooner
    if (isStoredRef(argv))
      return (await import('../stored-table.js')).runStoredTable('flows', argv, io, this.help);
    const args = parseTableArgs(argv, 'flows', io.stdout.isTTY === true, { filter: true });
    if (args.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const keep =
      args.filter === null ? null : (await import('./row-filter.js')).rowFilter(args.filter, 'flows');
    if (args.format === 'table') {
      const { flows } = await runAnalysis(args.files, io, undefined, { hosts: false, app: false });
      const rows = keep ? flows.filter(keep) : flows;
      rows.sort((a, b) => a.id - b.id);
      await writeRows(io.stdout, args.format, rows, FLOW_COLUMNS, FLOW_TABLE_COLUMNS);
      return 0;
    }
    // json/csv stream each flow as it ends: output starts early and memory stays bounded by live flows
    const stream = new RowStream(io.stdout, args.format, FLOW_COLUMNS);
    if (args.format === 'json' && !keep && defaultFlowThreads() <= 1) {
      // rows and their text are made on a second thread while this one reads (format/flow-json-pipe.ts)
      // on the process's stdout the worker writes it itself; a reader gone away (`| head`) ends the run quietly
      const direct = io.stdout === process.stdout;
      const pipe = new FlowJsonPipe(stream, direct ? 1 : null, () => process.exit(0));
      await pipe.run((opts) => runAnalysis(args.files, io, undefined, { hosts: false, app: false, ...opts }));
      await stream.end();
      return 0;
    }
    // no host table and no application layer (app is what the port tables and payload heuristics say): memory
    // stays bounded by live flows, and the run costs what a conversation table needs
    // a split run (one large capture, engine/parallel/range-split.ts) formats its worker's JSON rows there
    const flowText =
      args.format === 'json' && !keep
        ? {
            encoder: new URL('../format/flow-json.js', import.meta.url).href,
            onText: (id: number, tail: string) => stream.addJsonTail(id, tail),
          }
        : undefined;
    await runAnalysis(
      args.files,
      io,
      (row) => {
        if (!keep || keep(row)) stream.add(row);
      },
      { hosts: false, app: false, ...(flowText ? { flowText } : {}) },
    );
    await stream.end();
    return 0;
  },
};
