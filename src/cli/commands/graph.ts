import { NODE_SHAPES, toDot, type NodeShape } from '../../views/dot.js';
import { toGexf } from '../../views/gexf.js';
import { toGraphJson } from '../../views/graph-json.js';
import { graphTitle } from '../../views/graph-style.js';
import { terminalSafe } from '../format/terminal-safe.js';
import type { CliIo } from '../io.js';
import { analyzeAndGraph, printNotes } from '../render/graph-input.js';
import { LAYOUT_ENGINES } from '../render/graphviz.js';
import { graphToSvg } from '../render/graph-svg.js';
import { outputKind, prepareOutput, writeOutput } from '../render/output-file.js';
import { svgToPng } from '../render/png.js';
import {
  choice,
  flag,
  GRAPH_OPTIONS,
  intOption,
  l4Option,
  layerOption,
  needFiles,
  needOut,
  onlyOption,
  parseViewArgs,
  usage,
} from '../render/view-args.js';
import type { Command } from './command.js';

const KINDS = ['dot', 'svg', 'png', 'json', 'gexf'];

export const graphCommand: Command = {
  name: 'graph',
  summary: 'draw who talks to whom (MAC, IP or port level) as DOT, SVG, PNG, JSON or GEXF',
  help: `Usage: pcaplens graph <capture...> -o OUT [options]

Draws the conversations as a graph. The output format follows OUT's extension:
.dot (Graphviz source), .svg, .png, .json (nodes and edges), .gexf (Gephi).
Directories in OUT are created as needed; an existing OUT is replaced only with --force.

Options:
  -o, --out OUT         output file (required)
  --layer 2|3|4         2: MAC pairs, 3: IP pairs (default), 4: transport endpoints
  --l4 socket|service   layer 4 nodes: socket = ip:port on both ends (default, one edge per TCP/UDP
                        conversation); service = client IP to server ip:port
  --engine NAME         Graphviz layout: ${LAYOUT_ENGINES.join(', ')} (default sfdp; fdp is slow past ~300 nodes)
  --shape NAME          node shape: ellipse (default), box, circle, point, ... (Graphviz names)
  --only CLASSES        keep flows of these classes: web, tor, malicious, insecure (comma list)
  --max-nodes N         beyond N nodes, merge the least active ones by subnet (default 200, 0: no limit);
                        the output says so ("grouped: ...")
  --group-by KEY        subnet (default), asn or country (bundled offline GeoIP/ASN data; addresses
                        without an entry, such as private ones, fall back to their subnet)
  --width PX            PNG width in pixels (default: the layout's own size)
  --no-edge-labels      leave out the protocol/packet/byte labels on edges
  --force               replace OUT if it exists
  -h, --help            this help

Examples:
  pcaplens graph traffic.pcap -o out/ip.svg
  pcaplens graph traffic.pcap -o services.png --layer 4 --l4 service --only insecure
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const p = parseViewArgs(argv, 'graph', {
      ...GRAPH_OPTIONS,
      out: { type: 'string', short: 'o' },
      engine: { type: 'string' },
      shape: { type: 'string' },
      width: { type: 'string' },
      'no-edge-labels': { type: 'boolean' },
      force: { type: 'boolean' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(this.help);
      return 0;
    }
    const files = needFiles(p, 'graph');
    const out = needOut(p, 'graph');
    const kind = outputKind(out);
    if (!KINDS.includes(kind))
      throw usage('graph', `cannot tell the format of '${out}': use .${KINDS.join(', .')}`);
    const layer = layerOption(p, 'graph');
    const l4Mode = l4Option(p, 'graph', 'socket');
    const engine = choice(p, 'graph', 'engine', LAYOUT_ENGINES, 'sfdp');
    const shape: NodeShape = choice(p, 'graph', 'shape', NODE_SHAPES, 'ellipse');
    const only = onlyOption(p, 'graph');
    const maxNodes = intOption(p, 'graph', 'max-nodes', 200, 0, 1_000_000);
    const groupBy = choice(p, 'graph', 'group-by', ['subnet', 'asn', 'country'] as const, 'subnet');
    const width = intOption(p, 'graph', 'width', 0, 0, 16384);
    const abs = await prepareOutput(out, flag(p, 'force'));

    const { model } = await analyzeAndGraph(files, io, { layer, l4Mode, only, maxNodes, groupBy });
    let data: string | Uint8Array;
    if (kind === 'json') data = toGraphJson(model);
    else if (kind === 'gexf') data = toGexf(model);
    else {
      const dotOpts = { shape, edgeLabels: !flag(p, 'no-edge-labels') };
      if (kind === 'dot') data = toDot(model, dotOpts);
      else {
        const svg = await graphToSvg(model, engine, dotOpts);
        data = kind === 'svg' ? svg : svgToPng(svg, width ? { width } : {}).data;
      }
    }
    await writeOutput(abs, data);
    printNotes(io, 'graph', model);
    io.stderr.write(terminalSafe(`pcaplens: graph: wrote ${out} (${graphTitle(model)})`) + '\n');
    return 0;
  },
};
