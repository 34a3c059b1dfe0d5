import { chordData, chordSvg } from '../../views/chord.js';
import { terminalSafe } from '../format/terminal-safe.js';
import type { CliIo } from '../io.js';
import { analyzeAndGraph, printNotes } from '../render/graph-input.js';
import { outputKind, prepareOutput } from '../render/output-file.js';
import { writePicture } from '../render/picture.js';
import {
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

export const chordCommand: Command = {
  name: 'chord',
  summary: 'chord diagram of the traffic between the busiest hosts (SVG or PNG)',
  help: `Usage: pcaplens chord <capture...> -o OUT.svg|OUT.png [options]

One arc per host among the N busiest (by bytes), ribbons sized by the bytes each pair exchanged;
everything else is one "other" arc so the picture accounts for all traffic.

Options:
  -o, --out OUT       .svg or .png (required); directories are created as needed
  -n, --top N         hosts shown (default 12)
  --size PX           width and height (default 800)
  --layer 2|3|4       2: MAC addresses, 3: IP addresses (default), 4: services (--l4 service by default)
  --only CLASSES      web, tor, malicious, insecure (comma list)
  --force             replace OUT if it exists
  -h, --help          this help
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const p = parseViewArgs(argv, 'chord', {
      ...GRAPH_OPTIONS,
      out: { type: 'string', short: 'o' },
      top: { type: 'string', short: 'n' },
      size: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(this.help);
      return 0;
    }
    const files = needFiles(p, 'chord');
    const out = needOut(p, 'chord');
    const kind = outputKind(out);
    if (kind !== 'svg' && kind !== 'png') throw usage('chord', `OUT must end in .svg or .png, not '${out}'`);
    const top = intOption(p, 'chord', 'top', 12, 1, 200);
    const size = intOption(p, 'chord', 'size', 800, 200, 8000);
    const layer = layerOption(p, 'chord');
    const abs = await prepareOutput(out, flag(p, 'force'));
    const { model } = await analyzeAndGraph(files, io, {
      layer,
      l4Mode: l4Option(p, 'chord', 'service'),
      only: onlyOption(p, 'chord'),
    });
    await writePicture(abs, kind, chordSvg(chordData(model, top), size));
    printNotes(io, 'chord', model);
    io.stderr.write(terminalSafe(`pcaplens: chord: wrote ${out}`) + '\n');
    return 0;
  },
};
