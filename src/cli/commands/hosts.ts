import { parseTableArgs } from '../args.js';
import { HOST_COLUMNS, HOST_TABLE_COLUMNS } from '../columns.js';
import type { CliIo } from '../io.js';
import { runAnalysis } from '../run-analysis.js';
import { FILTER_HELP, FORMAT_HELP, type Command } from './command.js';
import { rowFilter } from './row-filter.js';
import { writeRows } from './table-output.js';
import { isStoredRef } from '../store-args.js';
import { runStoredTable, STORED_HELP } from '../stored-table.js';

export const hostsCommand: Command = {
  name: 'hosts',
  summary: 'hosts (IP addresses, or MACs for non-IP traffic) with traffic counts, names and ports',
  help: `Usage: pcaplens hosts <capture...> [--format json|csv|table] [--filter EXPR]

One row per host: address, MAC addresses, names seen for it (with where they came from), packets and
bytes sent and received, number of peers, server ports, first/last time.

Options:
${FORMAT_HELP}
${FILTER_HELP}

${STORED_HELP}

Example:
  pcaplens hosts traffic.pcap --format json | jq '.[] | select(.peers > 10)'
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    if (isStoredRef(argv)) return runStoredTable('hosts', argv, io, this.help);
    const args = parseTableArgs(argv, 'hosts', io.stdout.isTTY === true, { filter: true });
    if (args.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const keep = rowFilter(args.filter, 'hosts');
    const { hosts } = await runAnalysis(args.files, io);
    await writeRows(
      io.stdout,
      args.format,
      keep ? hosts.filter(keep) : hosts,
      HOST_COLUMNS,
      HOST_TABLE_COLUMNS,
    );
    return 0;
  },
};
