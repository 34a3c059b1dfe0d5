/**
 * Executables, installers and scripts fetched over plain HTTP or FTP: anyone on the path could have swapped
 * them. What a file is comes from file-kind.ts: its first bytes (PE/ELF/Mach-O, "#!"), its name's extension and
 * its declared content type, from the files table and, when it has no row for a transfer, the http table.
 * JavaScript and CSS that pages load are not executables in this sense: they raise nothing by default, or an
 * info alert (config.cleartextExecutable.webScripts). A .js file served as a download (not as a script type) is
 * kept, at low severity: Windows runs .js files with its Script Host on a double click.
 */
import type { AlertSeverity } from '../../shared/alert-rows.js';
import { flowIds, type AlertDraft } from '../alert.js';
import type { AnalysisConfig } from '../config.js';
import {
  extensionOf,
  kindByExtension,
  kindByMagic,
  kindByType,
  mediaType,
  type FileClass,
  type FileKind,
} from '../file-kind.js';
import type { AnalysisInput } from '../input.js';

function fileName(path: string | null): string | null {
  if (!path) return null;
  const noQuery = path.split(/[?#]/, 1)[0] ?? '';
  const last = noQuery.split('/').pop() ?? '';
  return last || null;
}

const RANK: Record<FileClass, number> = { native: 0, package: 1, 'os-script': 2, script: 3, web: 4 };
const SEVERITY: Record<Exclude<FileClass, 'web'>, AlertSeverity> = {
  native: 'medium',
  package: 'medium',
  'os-script': 'medium',
  script: 'low',
};

interface Verdict {
  kind: FileKind;
  severity: AlertSeverity;
  score: number;
  /** which signs said so: magic, extension, content_type */
  by: string[];
  /** the first bytes contradict the name or type (an executable named or served as something else) */
  disguised: boolean;
}

/** The verdict for one transfer, or null when it is no executable (or a web script with webScripts off). */
export function judgeFile(
  name: string | null,
  contentType: string | null,
  magic: string | null,
  webScripts: 'off' | 'info',
): Verdict | null {
  const m = kindByMagic(magic);
  const e = kindByExtension(name);
  const t = kindByType(contentType);
  if (m) {
    const agree = [e, t].filter((k) => k !== null && (k.cls === m.cls || k.cls === 'package'));
    const named = [e, t].filter((k) => k !== null);
    return {
      kind: m,
      severity: 'medium',
      score: agree.length ? 1 : 0.9,
      by: [
        'magic',
        ...(e && agree.includes(e) ? ['extension'] : []),
        ...(t && agree.includes(t) ? ['content_type'] : []),
      ],
      disguised: named.length > 0 && agree.length === 0,
    };
  }
  const strong = [e, t].filter((k): k is FileKind => k !== null && k.cls !== 'web');
  if (strong.length) {
    const k = strong.sort((a, b) => RANK[a.cls] - RANK[b.cls])[0]!;
    const by = [
      ...(e && e.cls !== 'web' ? ['extension'] : []),
      ...(t && t.cls !== 'web' ? ['content_type'] : []),
    ];
    const sev = SEVERITY[k.cls as Exclude<FileClass, 'web'>];
    return { kind: k, severity: sev, score: by.length === 2 ? 1 : 0.8, by, disguised: false };
  }
  const type = mediaType(contentType);
  if (
    e?.cls === 'web' &&
    extensionOf(name) !== 'css' &&
    type !== null &&
    t === null &&
    !type.startsWith('text/')
  ) {
    return {
      kind: {
        cls: 'os-script',
        what: `JavaScript file served as ${type} (Windows Script Host runs .js files)`,
      },
      severity: 'low',
      score: 0.6,
      by: ['extension', 'content_type'],
      disguised: false,
    };
  }
  if ((e?.cls === 'web' || t?.cls === 'web') && webScripts === 'info') {
    const k = (e?.cls === 'web' ? e : t)!;
    return {
      kind: k,
      severity: 'info',
      score: 0.2,
      by: e?.cls === 'web' ? ['extension'] : ['content_type'],
      disguised: false,
    };
  }
  return null;
}

export function detectCleartextExecutables(input: AnalysisInput, cfg: AnalysisConfig): AlertDraft[] {
  const out: AlertDraft[] = [];
  const seen = new Set<string>();
  const webScripts = cfg.cleartextExecutable.webScripts;
  const add = (
    proto: string,
    flowId: number,
    ts: string,
    client: string,
    server: string,
    name: string | null,
    type: string | null,
    magic: string | null,
    size: number | null,
    sha256: string | null,
    from: string,
  ) => {
    const v = judgeFile(name, type, magic, webScripts);
    if (!v) return;
    const k = `${flowId}|${name ?? ''}`;
    if (seen.has(k)) return;
    seen.add(k);
    const what = v.disguised ? `${v.kind.what}, by its first bytes` : v.kind.what;
    out.push({
      key: `cleartext_executable|${client}|${server}|${flowId}|${name ?? ''}`,
      kind: 'cleartext_executable',
      severity: v.severity,
      score: v.score,
      heuristic: false,
      first_ts: ts,
      last_ts: ts,
      hosts: [client, server],
      ...flowIds([flowId], cfg.maxFlowIdsPerAlert),
      explanation: `${client} downloaded ${name ? `"${name.slice(0, 120)}"` : 'a file'}${type ? ` (${type.slice(0, 80)})` : ''}, a ${what}, from ${server} over plain ${proto.toUpperCase()}, where it could have been altered in transit.`,
      evidence: {
        name,
        content_type: type,
        magic,
        file_kind: v.kind.what,
        file_class: v.kind.cls,
        by: v.by,
        disguised: v.disguised,
        size,
        sha256,
        source_table: from,
      },
      rule: `cleartext_executable: ${proto.toUpperCase()} download that is an executable by its first bytes, or an executable/installer/script by extension or content type (web JavaScript/CSS: ${webScripts})`,
    });
  };
  const fileFlows = new Set<number>();
  for (const f of input.files ?? []) {
    if ((f.proto !== 'http' && f.proto !== 'ftp') || f.direction !== 'download') continue;
    fileFlows.add(f.flow_id);
    add(
      f.proto,
      f.flow_id,
      f.ts,
      f.client_ip,
      f.server_ip,
      f.name,
      f.content_type,
      f.magic ?? null,
      f.size,
      f.sha256,
      'files',
    );
  }
  for (const h of input.http ?? []) {
    if (fileFlows.has(h.flow_id) || h.status === null || h.status < 200 || h.status >= 300) continue;
    if (h.method !== 'GET' && h.method !== 'POST') continue;
    add(
      'http',
      h.flow_id,
      h.ts,
      h.client_ip,
      h.server_ip,
      fileName(h.uri),
      h.response_content_type,
      null,
      null,
      null,
      'http',
    );
  }
  return out;
}
