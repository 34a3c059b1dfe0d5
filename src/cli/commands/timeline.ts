import { csvLine } from '../../views/escape.js';
import { timelineFromFlows, timelineSvg } from '../../views/timeline.js';
import { terminalSafe } from '../format/terminal-safe.js';
import type { CliIo } from '../io.js';
import { outputKind, prepareOutput, writeOutput } from '../render/output-file.js';
import { writePicture } from '../render/picture.js';
import {
  choice,
  flag,
  intOption,
  needFiles,
  needOut,
  parseViewArgs,
  str,
  usage,
} from '../render/view-args.js';
import { runAnalysis } from '../run-analysis.js';
import type { Command } from './command.js';

export const timelineCommand: Command = {
  name: 'timeline',
  summary: 'histogram of bytes or packets over time, for all traffic or one host (SVG, PNG, CSV, JSON)',
  help: `Usage: pcaplens timeline <capture...> -o OUT.svg|OUT.png|OUT.csv|OUT.json [options]

Bytes (or packets) per time bin. Each flow's traffic is spread evenly over its lifetime (flow records
carry first and last times, not every packet's), so short bursts inside a long flow are smoothed.

Options:
  -o, --out OUT       .svg, .png, .csv or .json (required); directories are created as needed
  --host ADDR         only flows with this IP (or MAC) address on either end
  --by bytes|packets  what to count (default bytes)
  --bins N            at most N bins (default 120); the bin width is rounded to a readable step
  --force             replace OUT if it exists
  -h, --help          this help
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const p = parseViewArgs(argv, 'timeline', {
      out: { type: 'string', short: 'o' },
      host: { type: 'string' },
      by: { type: 'string' },
      bins: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(this.help);
      return 0;
    }
    const files = needFiles(p, 'timeline');
    const out = needOut(p, 'timeline');
    const kind = outputKind(out);
    if (!['csv', 'json', 'svg', 'png'].includes(kind)) {
      throw usage('timeline', `OUT must end in .svg, .png, .csv or .json, not '${out}'`);
    }
    const by = choice(p, 'timeline', 'by', ['bytes', 'packets'] as const, 'bytes');
    const maxBins = intOption(p, 'timeline', 'bins', 120, 1, 2000);
    const host = str(p, 'host') ?? null;
    const abs = await prepareOutput(out, flag(p, 'force'));
    const { flows } = await runAnalysis(files, io);
    const d = timelineFromFlows(flows, { host, maxBins });
    if (host !== null && d.flows === 0) {
      io.stderr.write(terminalSafe(`pcaplens: timeline: no flow has ${host} on either end`) + '\n');
    }
    if (kind === 'csv') {
      let csv = csvLine(['start', 'seconds', 'bytes', 'packets']);
      d.bytes.forEach((b, i) => {
        const t = new Date((d.start + i * d.step) * 1000).toISOString();
        csv += csvLine([t, d.step, Math.round(b), Math.round(d.packets[i]!)]);
      });
      await writeOutput(abs, csv);
    } else if (kind === 'json') await writeOutput(abs, JSON.stringify(d, null, 2) + '\n');
    else await writePicture(abs, kind as 'svg' | 'png', timelineSvg(d, 1000, 320, by));
    io.stderr.write(terminalSafe(`pcaplens: timeline: wrote ${out}`) + '\n');
    return 0;
  },
};
