/**
 * Executables and scripts fetched over plain HTTP: anyone on the path could have swapped them. Judged by file name
 * extension and by content type, from the files table and, when it has no row for a transfer, from the http table.
 */
import { flowIds, type AlertDraft } from '../alert.js';
import type { AnalysisConfig } from '../config.js';
import type { AnalysisInput } from '../input.js';

const EXEC_EXT =
  /\.(exe|dll|scr|com|msi|msp|msix|appx|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|wsh|hta|jar|apk|dmg|pkg|app|deb|rpm|sh|bin|elf|run|py|pl|lnk|iso|img|cab|so)$/i;
const EXEC_TYPE =
  /^(application\/(x-msdownload|x-msdos-program|x-dosexec|vnd\.microsoft\.portable-executable|x-executable|x-elf|x-sharedlib|x-mach-binary|java-archive|x-java-archive|vnd\.android\.package-archive|x-msi|x-ms-installer|x-sh|x-bat|hta|x-apple-diskimage|x-iso9660-image)|text\/x-(sh|shellscript|python|perl))/i;

function fileName(path: string | null): string | null {
  if (!path) return null;
  const noQuery = path.split(/[?#]/, 1)[0] ?? '';
  const last = noQuery.split('/').pop() ?? '';
  return last || null;
}

export function detectCleartextExecutables(input: AnalysisInput, cfg: AnalysisConfig): AlertDraft[] {
  const out: AlertDraft[] = [];
  const seen = new Set<string>();
  const add = (
    flowId: number,
    ts: string,
    client: string,
    server: string,
    name: string | null,
    type: string | null,
    size: number | null,
    sha256: string | null,
    from: string,
  ) => {
    const byExt = name !== null && EXEC_EXT.test(name);
    const byType = type !== null && EXEC_TYPE.test(type);
    if (!byExt && !byType) return;
    const k = `${flowId}|${name ?? ''}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({
      key: `cleartext_executable|${client}|${server}|${flowId}|${name ?? ''}`,
      kind: 'cleartext_executable',
      severity: 'medium',
      score: byExt && byType ? 1 : 0.8,
      heuristic: false,
      first_ts: ts,
      last_ts: ts,
      hosts: [client, server],
      ...flowIds([flowId], cfg.maxFlowIdsPerAlert),
      explanation: `${client} downloaded ${name ? `"${name.slice(0, 120)}"` : 'a file'}${type ? ` (${type})` : ''} from ${server} over plain HTTP, where it could have been altered in transit.`,
      evidence: {
        name,
        content_type: type,
        size,
        sha256,
        by_extension: byExt,
        by_content_type: byType,
        source_table: from,
      },
      rule: 'cleartext_executable: HTTP download whose name ends in an executable/script extension or whose content type is executable',
    });
  };
  const fileFlows = new Set<number>();
  for (const f of input.files ?? []) {
    if (f.proto !== 'http' || f.direction !== 'download') continue;
    fileFlows.add(f.flow_id);
    add(f.flow_id, f.ts, f.client_ip, f.server_ip, f.name, f.content_type, f.size, f.sha256, 'files');
  }
  for (const h of input.http ?? []) {
    if (fileFlows.has(h.flow_id) || h.status === null || h.status < 200 || h.status >= 300) continue;
    if (h.method !== 'GET' && h.method !== 'POST') continue;
    add(
      h.flow_id,
      h.ts,
      h.client_ip,
      h.server_ip,
      fileName(h.uri),
      h.response_content_type,
      null,
      null,
      'http',
    );
  }
  return out;
}
