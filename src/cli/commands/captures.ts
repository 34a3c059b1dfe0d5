import type { CaptureRow } from '../../shared/store-rows.js';
import { PcaplensError } from '../../shared/errors.js';
import { linkTypeName } from '../../wire/link-types.js';
import { FORMATS, type OutputFormat } from '../args.js';
import type { CliIo } from '../io.js';
import { STORE_HELP, STORE_OPTIONS, parseCommand, withStore } from '../store-args.js';
import { FORMAT_HELP, type Command } from './command.js';
import { writeRows } from './table-output.js';

const COLUMNS = [
  'id',
  'name',
  'packets',
  'bytes',
  'first_ts',
  'last_ts',
  'status',
  'format',
  'link_types',
  'size',
  'sha256',
  'created_at',
  'errors',
] as const satisfies readonly (keyof CaptureRow)[];
const TABLE_COLUMNS = ['id', 'name', 'packets', 'bytes', 'first_ts', 'last_ts', 'status', 'format', 'links'];

export const capturesCommand: Command = {
  name: 'captures',
  summary: 'list the stored captures (id, name, packets, bytes, time span, status)',
  help: `Usage: pcaplens captures [--format json|csv|table] [--store URL] [--data DIR]

The stored captures, newest first: id (use it as @ID), name, packets, bytes, first/last time, status
(complete, or partial when reading stopped at a problem; the problems are in "errors"), format, link types,
size and SHA-256 of the content.

Options:
${FORMAT_HELP}
${STORE_HELP}
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'captures', {
      ...STORE_OPTIONS,
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length)
      throw new PcaplensError('E_USAGE', `captures: unexpected argument '${positionals[0]}'`);
    const format = (v.format ?? (io.stdout.isTTY ? 'table' : 'json')) as OutputFormat;
    if (!FORMATS.includes(format))
      throw new PcaplensError(
        'E_USAGE',
        `captures: --format must be one of ${FORMATS.join(', ')}, not '${v.format}'`,
      );
    const rows = await withStore(v, (store) => store.listCaptures());
    const shown =
      format === 'table'
        ? rows.map((r) => ({ ...r, links: r.link_types.map(linkTypeName).join(',') }))
        : rows;
    await writeRows(io.stdout, format, shown, COLUMNS, TABLE_COLUMNS);
    return 0;
  },
};
