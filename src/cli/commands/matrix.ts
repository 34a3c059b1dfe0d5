import { matrixCsv, matrixData, matrixSvg } from '../../views/matrix.js';
import { terminalSafe } from '../format/terminal-safe.js';
import type { CliIo } from '../io.js';
import { analyzeAndGraph, printNotes } from '../render/graph-input.js';
import { outputKind, prepareOutput, writeOutput } from '../render/output-file.js';
import { writePicture } from '../render/picture.js';
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

export const matrixCommand: Command = {
  name: 'matrix',
  summary: 'adjacency matrix of the busiest hosts: who sent how much to whom (CSV, JSON, SVG or PNG)',
  help: `Usage: pcaplens matrix <capture...> -o OUT.csv|OUT.json|OUT.svg|OUT.png [options]

Rows send to columns; the N busiest nodes (by bytes) get their own row and column, the rest share "other".

Options:
  -o, --out OUT       .csv, .json, .svg or .png (required); directories are created as needed
  -n, --top N         nodes shown (default 20)
  --by bytes|packets  cell value (default bytes)
  --layer 2|3|4       2: MAC addresses, 3: IP addresses (default), 4: transport endpoints (see graph --l4)
  --only CLASSES      web, tor, malicious, insecure (comma list)
  --force             replace OUT if it exists
  -h, --help          this help
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const p = parseViewArgs(argv, 'matrix', {
      ...GRAPH_OPTIONS,
      out: { type: 'string', short: 'o' },
      top: { type: 'string', short: 'n' },
      by: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(this.help);
      return 0;
    }
    const files = needFiles(p, 'matrix');
    const out = needOut(p, 'matrix');
    const kind = outputKind(out);
    if (!['csv', 'json', 'svg', 'png'].includes(kind)) {
      throw usage('matrix', `OUT must end in .csv, .json, .svg or .png, not '${out}'`);
    }
    const top = intOption(p, 'matrix', 'top', 20, 1, 1000);
    const by = choice(p, 'matrix', 'by', ['bytes', 'packets'] as const, 'bytes');
    const layer = layerOption(p, 'matrix');
    const abs = await prepareOutput(out, flag(p, 'force'));
    const { model } = await analyzeAndGraph(files, io, {
      layer,
      l4Mode: l4Option(p, 'matrix', 'socket'),
      only: onlyOption(p, 'matrix'),
    });
    const d = matrixData(model, top, by);
    if (kind === 'csv') await writeOutput(abs, matrixCsv(d));
    else if (kind === 'json') await writeOutput(abs, JSON.stringify(d, null, 2) + '\n');
    else await writePicture(abs, kind as 'svg' | 'png', matrixSvg(d, 1000));
    printNotes(io, 'matrix', model);
    io.stderr.write(terminalSafe(`pcaplens: matrix: wrote ${out}`) + '\n');
    return 0;
  },
};
