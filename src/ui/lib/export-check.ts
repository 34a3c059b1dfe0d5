import { api, ApiError, scopeParams, type Scope } from './api.ts';

/** What the server says of an export before the download starts (GET /api/captures/:id/export-check). */
export type ExportCheck =
  | { ok: true; format: 'pcap' | 'pcapng'; session_tables: string[] }
  | { ok: false; code: string; message: string };

/**
 * Asks whether an export of this scope can be made. The page calls it before it follows the export link,
 * so an error is shown where the user is instead of being saved as the "capture" file.
 */
export async function checkExport(
  cid: string,
  format: 'pcap' | 'pcapng',
  scope: Scope,
): Promise<ExportCheck> {
  try {
    const r = await api<{ format: 'pcap' | 'pcapng'; session_tables: string[] }>(
      `/captures/${encodeURIComponent(cid)}/export-check`,
      { ...scopeParams(scope), format },
    );
    return { ok: true, format: r.format, session_tables: r.session_tables };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'E_IO', message: (e as Error).message };
  }
}
