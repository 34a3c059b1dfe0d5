/** Runs a capture held in memory through reader, Analysis and AppLayer, collecting every app row. */
import { openCapture } from '../../src/wire/open.js';
import { READ_NEED_MORE, READ_RECORD } from '../../src/wire/reader.js';
import { PacketRecord } from '../../src/wire/record.js';
import { MemorySource } from '../../src/wire/test-support/memory-source.js';
import { Analysis, type AnalysisOptions, type AnalysisResult } from '../../src/flow/analysis.js';
import { AppLayer, type AppLayerOptions } from '../../src/flow/reassembly/app/app-layer.js';
import type { ReassemblyProblem } from '../../src/flow/reassembly/types.js';
import { emptyAppRows, type AppRows as AppTableRows } from '../../src/engine/app-tables.js';

export type AppRows = AppTableRows & { problems: ReassemblyProblem[] };

export async function analyzeBytes(
  bytes: Uint8Array,
  opts: AnalysisOptions = {},
  appOpts: AppLayerOptions = {},
  name = 'hostile.pcap',
): Promise<{ result: AnalysisResult; rows: AppRows; app: AppLayer; analysis: Analysis }> {
  const rows: AppRows = { ...emptyAppRows(), problems: [] };
  const app = new AppLayer(
    {
      dns: (r) => rows.dns.push(r),
      http: (r) => rows.http.push(r),
      tls: (r) => rows.tls.push(r),
      dhcp: (r) => rows.dhcp.push(r),
      credential: (r) => rows.credentials.push(r),
      file: (r) => rows.files.push(r),
      ssh: (r) => rows.ssh.push(r),
      smb: (r) => rows.smb.push(r),
      sip: (r) => rows.sip.push(r),
      ntp: (r) => rows.ntp.push(r),
      problem: (p) => rows.problems.push(p),
    },
    appOpts,
  );
  const analysis = new Analysis({
    fileNames: [name],
    onPacket: app.onPacket,
    onFlowEnd: app.onFlowEnd,
    ...opts,
  });
  const reader = await openCapture(new MemorySource(bytes, name));
  const rec = new PacketRecord();
  for (;;) {
    const s = reader.read(rec);
    if (s === READ_RECORD) analysis.addPacket(rec);
    else if (s === READ_NEED_MORE) await reader.fill();
    else break;
  }
  await reader.close();
  return { result: analysis.finish(), rows, app, analysis };
}
