import { buildGraph } from '../../views/graph-model.js';
import { topNodes, type TopRow } from '../../views/top.js';
import { FORMATS, type OutputFormat } from '../args.js';
import type { CliIo } from '../io.js';
import { printNotes } from '../render/graph-input.js';
import {
  choice,
  flag,
  intOption,
  layerOption,
  needFiles,
  parseViewArgs,
  usage,
} from '../render/view-args.js';
import { runAnalysis } from '../run-analysis.js';
import type { Command } from './command.js';
import { writeRows } from './table-output.js';

const COLUMNS: readonly (keyof TopRow)[] = [
  'rank',
  'node',
  'kind',
  'names',
  'value',
  'peers_in',
  'peers_out',
  'packets_in',
  'packets_out',
  'bytes_in',
  'bytes_out',
  'flows_in',
  'flows_out',
  'grouped',
];
const TABLE_COLUMNS: readonly (keyof TopRow)[] = [
  'rank',
  'node',
  'names',
  'value',
  'peers_in',
  'peers_out',
  'bytes_in',
  'bytes_out',
];

export const topCommand: Command = {
  name: 'top',
  summary: 'top talkers (most contacting) and listeners (most contacted) by peers, packets or bytes',
  help: `Usage: pcaplens top <capture...> [--in|--out] [--by peers|packets|bytes] [-n 10] [--layer 2|3|4]

Ranks the nodes of the traffic graph.
  --in      most contacted: distinct peers that started flows to the node, or packets/bytes it received
  --out     most contacting (default): distinct peers it started flows to, or packets/bytes it sent
At layer 4 the nodes are services (server ip:port/proto) and client IPs, so --in ranks services by clients.

Options:
  --by KEY            peers (default), packets or bytes
  -n, --limit N       how many rows (default 10)
  --layer 2|3|4       2: MAC addresses, 3: IP addresses (default), 4: services and clients
  -f, --format FMT    json, csv or table (default: table on a terminal, json otherwise)
  -h, --help          this help

Example:
  pcaplens top traffic.pcap --in --by peers -n 5
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const p = parseViewArgs(argv, 'top', {
      in: { type: 'boolean' },
      out: { type: 'boolean' },
      by: { type: 'string' },
      limit: { type: 'string', short: 'n' },
      layer: { type: 'string' },
      format: { type: 'string', short: 'f' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(this.help);
      return 0;
    }
    if (flag(p, 'in') && flag(p, 'out')) throw usage('top', 'choose one of --in and --out');
    const files = needFiles(p, 'top');
    const dir = flag(p, 'in') ? 'in' : 'out';
    const by = choice(p, 'top', 'by', ['peers', 'packets', 'bytes'] as const, 'peers');
    const limit = intOption(p, 'top', 'limit', 10, 1, 1_000_000);
    const layer = layerOption(p, 'top');
    const format: OutputFormat = choice(
      p,
      'top',
      'format',
      FORMATS,
      io.stdout.isTTY === true ? 'table' : 'json',
    );
    const { flows, hosts } = await runAnalysis(files, io);
    const model = buildGraph(flows, hosts, { layer, l4Mode: 'service' });
    printNotes(io, 'top', model);
    const rows = topNodes(model, dir, by, limit);
    await writeRows(io.stdout, format, rows, COLUMNS, TABLE_COLUMNS);
    return 0;
  },
};
