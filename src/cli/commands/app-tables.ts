/**
 * The application tables as commands, one module for all of them: `pcaplens dns|http|tls|dhcp|credentials|
 * files|ssh|smb|sip|ntp <capture...|@ID>`. A direct run streams the table's rows as the layer finds them
 * (json/csv) or prints them at the end (table); a stored capture is answered by the store. `files --extract DIR` also
 * writes the transferred files out (engine/extract-files.ts).
 */
import { PcaplensError } from '../../shared/errors.js';
import { isoToNs, parseTimeBound } from '../../shared/filter/index.js';
import type { FileRow } from '../../shared/app-rows.js';
import { isoTime } from '../../shared/time.js';
import { READ_NEED_MORE, READ_RECORD } from '../../wire/reader.js';
import { PacketRecord } from '../../wire/record.js';
import { APP_TABLES, type AppRowTypes, type AppTable } from '../../engine/app-tables.js';
import { openInputs, resolveCapture } from '../../engine/capture-source.js';
import { FileExtractor } from '../../engine/extract-files.js';
import { FORMATS, type OutputFormat } from '../args.js';
import { appColumns } from '../app-columns.js';
import { RowStream } from '../format/row-stream.js';
import { terminalSafe } from '../format/terminal-safe.js';
import type { CliIo } from '../io.js';
import { discardFlows, runAnalysis, threadsArg, THREADS_HELP } from '../run-analysis.js';
import { STORE_OPTIONS, captureArg, isStoredRef, parseCommand, withStore } from '../store-args.js';
import { runStoredTable, STORED_HELP } from '../stored-table.js';
import { FILTER_HELP, FORMAT_HELP, type Command } from './command.js';
import { rowFilter } from './row-filter.js';
import { writeRows } from './table-output.js';

const ABOUT: Record<AppTable, [summary: string, detail: string, example: string]> = {
  dns: [
    'DNS, mDNS, LLMNR and NBNS transactions (query and answer paired)',
    'One row per query/response pair: name, type, class, rcode, answers, smallest TTL, response time, flags.',
    'pcaplens dns traffic.pcap --filter \'dns.rcode == "NXDOMAIN"\'',
  ],
  http: [
    'HTTP/1.x requests and responses',
    'One row per exchange: method, Host, URI, User-Agent, Referer, status, content types, decoded body sizes.',
    'pcaplens http traffic.pcap --format csv > http.csv',
  ],
  tls: [
    'TLS and QUIC handshakes: SNI, versions, cipher, JA3/JA3S/JA4, certificate',
    'One row per handshake: client and server versions, SNI, ALPN, cipher, JA3/JA3S/JA4 fingerprints, and the\nleaf certificate (TLS 1.2 and older; 1.3 encrypts it).',
    "pcaplens tls traffic.pcap --filter 'tls.cert_self_signed == true'",
  ],
  dhcp: [
    'DHCP and DHCPv6 messages',
    'One row per message: type, transaction id, client MAC, requested/assigned address, host name, vendor\nclass, parameter request list (a client fingerprint), server id, lease time.',
    'pcaplens dhcp traffic.pcap',
  ],
  credentials: [
    'clear-text credentials (HTTP Basic, FTP, SMTP/POP3/IMAP AUTH, Telnet, SNMP community)',
    'One row per credential seen in clear text. The password column shows the secret as it was sent: this is\na forensic tool, and the output is yours to protect (the report masks secrets by default).',
    'pcaplens credentials traffic.pcap --format table',
  ],
  files: [
    'files transferred over HTTP (both directions), FTP, SMTP, POP3, IMAP and SMB2, with SHA-256',
    'One row per transferred object: protocol, name, content type, size, SHA-256 (when seen whole), direction.',
    'pcaplens files traffic.pcap --extract ./out',
  ],
  ssh: [
    'SSH connections: banners and HASSH fingerprints',
    'One row per SSH connection: client and server identification strings, HASSH and HASSHServer.',
    'pcaplens ssh traffic.pcap',
  ],
  smb: [
    'SMB2/3 commands: dialect, user, shares, file names, bytes read and written',
    'One row per finished SMB2 command (request and response paired): status, share (tree), file name,\nnegotiated dialect, NTLMSSP user/domain/host of the session (no secrets). READ and WRITE add up per\nfile and show on its CLOSE row as bytes_read/bytes_written.',
    'pcaplens smb traffic.pcap --filter \'smb2.command == "CREATE"\'',
  ],
  sip: [
    'SIP messages: method or status, From, To, Call-ID, CSeq, User-Agent',
    'One row per SIP message (request or response) over UDP or TCP.',
    'pcaplens sip voip.pcap --format table',
  ],
  ntp: [
    'NTP messages: version, mode, stratum, reference id, transmit time',
    'One row per NTP message.',
    'pcaplens ntp traffic.pcap',
  ],
};

const EXTRACT_HELP = `      --extract DIR  also write each transferred file into DIR (created when missing): names from the capture
                     made safe (no paths, no control or reserved characters), never replacing a file
                     (name-1, name-2, ...), at most 64 MiB each (longer ones are cut and marked truncated);
                     DIR/files.json lists every file written with its row and SHA-256
      --force        write into a DIR that already has files in it`;

/** Bytes kept per file and across transfers in flight while extracting. */
const EXTRACT_MAX_FILE = 64 << 20;
const EXTRACT_MAX_HELD = 256 << 20;

function helpOf(table: AppTable): string {
  const [, detail, example] = ABOUT[table];
  const extra = table === 'files' ? ' [--extract DIR [--force]]' : '';
  return `Usage: pcaplens ${table} <capture...|@ID> [--format json|csv|table] [--filter EXPR] [--from T] [--to T]
       [--threads N]${extra}

${detail}
Rows come in the order the transactions complete. Several captures are merged in time order.

Options:
${FORMAT_HELP}
${FILTER_HELP}
      --from TIME    rows at or after TIME: ISO-8601 or +DURATION after the capture start (+30s, +5m)
      --to TIME      rows at or before TIME (same forms)
${THREADS_HELP}${table === 'files' ? ' (and --extract uses 1)' : ''}
${table === 'files' ? EXTRACT_HELP + '\n' : ''}
${STORED_HELP}

Example:
  ${example}
`;
}

function formatOf(v: string | undefined, io: CliIo, verb: string): OutputFormat {
  const format = (v ?? (io.stdout.isTTY ? 'table' : 'json')) as OutputFormat;
  if (!FORMATS.includes(format))
    throw new PcaplensError('E_USAGE', `${verb}: --format must be one of ${FORMATS.join(', ')}, not '${v}'`);
  return format;
}

/** Time of the first record of the merged inputs: what "+30s" counts from. */
async function firstRecordTime(paths: string[]): Promise<string | null> {
  const inputs = await openInputs(paths);
  try {
    const rec = new PacketRecord();
    for (;;) {
      const s = inputs.reader.read(rec);
      if (s === READ_RECORD) return isoTime(rec.tsSec, rec.tsNsec);
      if (s !== READ_NEED_MORE) return null;
      await inputs.reader.fill();
    }
  } finally {
    await inputs.close();
  }
}

/** --from/--to as a test on a row's ts, or null when neither is given. */
async function timeWindow(
  from: string | undefined,
  to: string | undefined,
  paths: string[],
): Promise<((ts: string) => boolean) | null> {
  if (from === undefined && to === undefined) return null;
  const relative = [from, to].some((t) => t?.trim().startsWith('+'));
  const start = relative ? await firstRecordTime(paths) : null;
  const lo = from !== undefined ? isoToNs(parseTimeBound(from, start)) : null;
  const hi = to !== undefined ? isoToNs(parseTimeBound(to, start)) : null;
  return (ts) => {
    const t = isoToNs(ts);
    return t !== null && (lo === null || t >= lo) && (hi === null || t <= hi);
  };
}

const OPTIONS = {
  ...STORE_OPTIONS,
  format: { type: 'string', short: 'f' },
  filter: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  extract: { type: 'string' },
  force: { type: 'boolean' },
  threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function run(table: AppTable, argv: string[], io: CliIo, help: string): Promise<number> {
  const extracting = table === 'files' && argv.some((a) => a === '--extract' || a.startsWith('--extract='));
  // a stored capture's rows come from the store; extracting needs the bytes, so it re-reads the kept files
  if (isStoredRef(argv) && !extracting) return runStoredTable(table, argv, io, help, appColumns(table));
  const { values: v, positionals } = parseCommand(argv, table, OPTIONS);
  if (v.help) {
    io.stdout.write(help);
    return 0;
  }
  if (table !== 'files' && (v.extract !== undefined || v.force)) {
    throw new PcaplensError('E_USAGE', `${table}: --extract and --force belong to pcaplens files`);
  }
  const format = formatOf(v.format, io, table);
  const threads = threadsArg(v.threads, table);
  const keep = rowFilter(v.filter ?? null, table);
  const arg = captureArg(positionals, table);
  if ('captureId' in arg) {
    const id = arg.captureId;
    return withStore(v, async (store, dataDir) => {
      const { paths } = await resolveCapture({ store, dataDir, captureId: id });
      return direct(table, paths, io, format, keep, v, threads);
    });
  }
  return direct(table, arg.paths, io, format, keep, v, threads);
}

async function direct(
  table: AppTable,
  paths: string[],
  io: CliIo,
  format: OutputFormat,
  keep: ((row: object) => boolean) | null,
  v: { from?: string; to?: string; extract?: string; force?: boolean },
  threads: number | undefined,
): Promise<number> {
  const inWindow = await timeWindow(v.from, v.to, paths);
  const wanted = (row: AppRowTypes[AppTable]): boolean =>
    (!keep || keep(row)) && (!inWindow || inWindow(row.ts));
  const extractor = v.extract !== undefined ? new FileExtractor(v.extract, v.force === true) : null;
  const { all, table: tableCols } = appColumns(table);
  const stream = format === 'table' ? null : new RowStream(io.stdout, format, all);
  const rows: Record<string, unknown>[] = [];
  // keys in the table's column order, as the store returns them: JSON from files and from @ID is the same
  const ordered = (row: object): Record<string, unknown> => {
    const r = row as Record<string, unknown>;
    const o: Record<string, unknown> = {};
    for (const c of all) o[c] = r[c];
    return o;
  };
  await runAnalysis(
    paths,
    io,
    discardFlows,
    {
      hosts: false,
      onRow: (t, row) => {
        if (t !== table || !wanted(row)) return;
        if (stream) stream.add(ordered(row));
        else rows.push(ordered(row));
      },
      fileBytes: extractor
        ? {
            maxFileBytes: EXTRACT_MAX_FILE,
            maxHeldBytes: EXTRACT_MAX_HELD,
            onFile: (row: FileRow, content: Uint8Array) => {
              if (wanted(row)) extractor.write(row, content);
            },
          }
        : undefined,
    },
    { threads, tables: [table] },
  );
  if (stream) await stream.end();
  else await writeRows(io.stdout, format, rows, all, tableCols);
  if (extractor) {
    const index = extractor.finish();
    const cut = extractor.written.filter((f) => f.truncated).length;
    io.stderr.write(
      terminalSafe(
        `pcaplens: ${extractor.written.length} files written to ${v.extract} (index ${index}` +
          (cut ? `; ${cut} truncated` : '') +
          ')',
      ) + '\n',
    );
  }
  return 0;
}

export function appTableCommand(table: AppTable): Command {
  const help = helpOf(table);
  return {
    name: table,
    summary: ABOUT[table][0],
    help,
    run: (argv, io) => run(table, argv, io, help),
  };
}

const byName = Object.fromEntries(APP_TABLES.map((t) => [t, appTableCommand(t)])) as Record<
  AppTable,
  Command
>;
export const dnsCommand = byName.dns;
export const httpCommand = byName.http;
export const tlsCommand = byName.tls;
export const dhcpCommand = byName.dhcp;
export const credentialsCommand = byName.credentials;
export const filesCommand = byName.files;
export const sshCommand = byName.ssh;
export const smbCommand = byName.smb;
export const sipCommand = byName.sip;
export const ntpCommand = byName.ntp;
