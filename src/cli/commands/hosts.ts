import { parseTableArgs } from '../args.js';
import { HOST_COLUMNS, HOST_TABLE_COLUMNS } from '../columns.js';
import type { CliIo } from '../io.js';
import { runAnalysis } from '../run-analysis.js';
import { FILTER_HELP, FORMAT_HELP, type Command } from './command.js';
import { rowFilter } from './row-filter.js';
import { writeRows } from './table-output.js';
import { isStoredRef } from '../store-args.js';
import { runStoredTable, STORED_HELP } from '../stored-table.js';
import { ENRICH_HELP, ENRICH_OPTIONS, enrichOptionsFrom, type EnrichValues } from '../enrich-args.js';
import { Enrichment } from '../../engine/enrich-sources.js';
import { enrichRun } from '../../engine/enrich-result.js';

export const hostsCommand: Command = {
  name: 'hosts',
  summary:
    'hosts (IP addresses, or MACs for non-IP traffic) with traffic counts, names, vendor, location, tags',
  help: `Usage: pcaplens hosts <capture...> [--format json|csv|table] [--filter EXPR] [enrichment options]

One row per host: address, MAC addresses and their vendor, names seen for it (with where they came from:
dns, mdns, nbns, dhcp, tls, http, pcapng, rdns), packets and bytes sent and received, number of peers,
server ports, first/last time; address class, country/city/coordinates and AS of public addresses, an OS
guess, and tags (gateway, dns-server, dhcp-server, web-server, tor-relay, tor-exit, scanner, beaconing, ...).
The data sets used are listed by pcaplens summary (enrichment_sources).

Options:
${FORMAT_HELP}
${FILTER_HELP}
${ENRICH_HELP}

${STORED_HELP}

Example:
  pcaplens hosts traffic.pcap --format json | jq '.[] | select(.peers > 10)'
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    if (isStoredRef(argv)) return runStoredTable('hosts', argv, io, this.help);
    const args = parseTableArgs(argv, 'hosts', io.stdout.isTTY === true, {
      filter: true,
      extra: ENRICH_OPTIONS,
    });
    if (args.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const keep = rowFilter(args.filter, 'hosts');
    // the user's data files are read before the capture: a wrong path fails fast
    const enrichment = new Enrichment(enrichOptionsFrom(args.values as EnrichValues));
    const result = await runAnalysis(args.files, io);
    const { hosts } = await enrichRun(result, enrichment);
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
