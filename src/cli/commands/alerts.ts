import { PcaplensError } from '../../shared/errors.js';
import type { AlertRow } from '../../shared/alert-rows.js';
import { compileFilter } from '../../shared/filter/index.js';
import type { AlertRow as StoredAlert } from '../../shared/store-rows.js';
import { getStoredCapture } from '../../engine/capture-source.js';
import { detectAlerts } from '../../engine/enrich-run.js';
import { Enrichment } from '../../engine/enrich-sources.js';
import { fromStoredAlert, toStoredAlert } from '../../engine/stored-alert.js';
import { FORMATS, parseTableArgs, type OutputFormat } from '../args.js';
import { ALERT_COLUMNS, ALERT_TABLE_COLUMNS } from '../columns.js';
import { DETECT_HELP, DETECT_OPTIONS, enrichOptionsFrom, type EnrichValues } from '../enrich-args.js';
import type { CliIo } from '../io.js';
import { runAnalysis } from '../run-analysis.js';
import {
  STORE_HELP,
  STORE_OPTIONS,
  captureArg,
  isStoredRef,
  parseCommand,
  withStore,
} from '../store-args.js';
import { FILTER_HELP, FORMAT_HELP, type Command } from './command.js';
import { rowFilter } from './row-filter.js';
import { writeRows } from './table-output.js';

const HELP = `Usage: pcaplens alerts <capture...|@ID> [--format json|csv|table] [--filter EXPR] [--tor-relays FILE]
                      [--blocklist FILE]

One row per finding of the analyses: port scans and host sweeps, beaconing, DNS tunnelling and generated
domain names, credentials and other secrets in clear text, insecure protocols and weak TLS, Tor relays and
Tor-like TLS, destinations no name in the capture points to, executables downloaded in clear text, blocklist
hits. Each row gives the kind, severity, time span, the hosts involved (the acting host first), one sentence
of explanation, the numbers behind it (evidence, as JSON), the flows and the rule with its threshold.
Ordered by severity, then time; ids are stable for the same input.

Options:
${FORMAT_HELP}
${FILTER_HELP}
                     (alerts.kind == "port_scan", alerts.severity == "high", ip.addr == 10.0.0.5)
${DETECT_HELP}

With @ID the alerts found when the capture was imported are read from the store:
${STORE_HELP}

Example:
  pcaplens alerts incident.pcapng --filter 'alerts.severity == "high"' --format json
`;

/** Alerts come out as the analyses make them; filters see the store's columns (client_ip, flow_id, ...). */
function filtered(alerts: readonly AlertRow[], expr: string | null): AlertRow[] {
  const keep = rowFilter(expr, 'alerts');
  return keep ? alerts.filter((a) => keep(toStoredAlert(a))) : [...alerts];
}

async function storedAlerts(argv: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseCommand(argv, 'alerts', {
    ...STORE_OPTIONS,
    format: { type: 'string', short: 'f' },
    filter: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const arg = captureArg(positionals, 'alerts');
  if (!('captureId' in arg)) throw new PcaplensError('E_USAGE', 'alerts: expected @ID');
  const format = (v.format ?? (io.stdout.isTTY ? 'table' : 'json')) as OutputFormat;
  if (!FORMATS.includes(format))
    throw new PcaplensError(
      'E_USAGE',
      `alerts: --format must be one of ${FORMATS.join(', ')}, not '${v.format}'`,
    );
  const filter = v.filter !== undefined ? compileFilter(v.filter, 'alerts') : undefined;
  const rows = await withStore(v, async (store) => {
    const capture = await getStoredCapture(store, arg.captureId);
    const out: AlertRow[] = [];
    for (let offset = 0; ;) {
      const page = await store.page('alerts', { captureId: capture.id, filter, limit: 10_000, offset });
      for (const r of page.rows) out.push(fromStoredAlert(r as StoredAlert, out.length + 1));
      offset += page.rows.length;
      if (page.rows.length < 10_000) break;
    }
    return out.sort((a, b) => a.id - b.id);
  });
  await writeRows(io.stdout, format, rows, ALERT_COLUMNS, ALERT_TABLE_COLUMNS);
  return 0;
}

export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'findings with their evidence: scans, beaconing, DNS tunnels, clear-text credentials, Tor, ...',
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    if (isStoredRef(argv)) return storedAlerts(argv, io);
    const args = parseTableArgs(argv, 'alerts', io.stdout.isTTY === true, {
      filter: true,
      extra: DETECT_OPTIONS,
    });
    if (args.help) {
      io.stdout.write(HELP);
      return 0;
    }
    // checked before reading: a typo in the filter or a missing list file fails fast
    rowFilter(args.filter, 'alerts');
    const enrichment = new Enrichment(enrichOptionsFrom(args.values as EnrichValues));
    const result = await runAnalysis(args.files, io);
    const alerts = detectAlerts(result, { tor: enrichment.tor(), blocklist: enrichment.blocklist() });
    await writeRows(
      io.stdout,
      args.format,
      filtered(alerts, args.filter),
      ALERT_COLUMNS,
      ALERT_TABLE_COLUMNS,
    );
    return 0;
  },
};
