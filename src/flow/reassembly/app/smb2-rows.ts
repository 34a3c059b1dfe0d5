/**
 * SMB2 connections as a stream parser of the app layer: each finished command becomes an smb row, and the
 * data each open file moved (WRITE: upload, READ: download) a files row with its SHA-256.
 */
import { Smb2Session } from '../../../dissect/protocols/smb2/session.js';
import type { KeepFileBytes } from '../../../dissect/protocols/smb2/transfer.js';
import type { Endpoints } from './base.js';
import { isoTime } from '../../../shared/time.js';
import type { LineSession } from './line-protocols.js';
import type { AppSinks } from './sinks.js';

const SERVER_PORTS = [445, 139];

export function smb2Stream(
  flowId: number,
  ep: Endpoints,
  sinks: AppSinks,
  keep: KeepFileBytes | null = null,
): LineSession {
  const hint = SERVER_PORTS.includes(ep.port[1]) ? 0 : SERVER_PORTS.includes(ep.port[0]) ? 1 : -1;
  const s = new Smb2Session(
    (e) => {
      if (!sinks.smb) return;
      const c = e.clientDir === 1 ? 1 : 0;
      const sv = c === 1 ? 0 : 1;
      // one literal with every column in rowBase's order: no base row spread into it per command
      sinks.smb({
        flow_id: flowId,
        ts: isoTime(e.tsSec, e.tsNsec),
        packet: e.packet,
        client_ip: ep.ip[c],
        client_port: ep.port[c],
        server_ip: ep.ip[sv],
        server_port: ep.port[sv],
        command: e.command,
        message_id: e.messageId,
        status: e.status,
        tree: e.tree,
        file_name: e.fileName,
        dialect: e.dialect,
        username: e.user,
        domain: e.domain,
        host: e.host,
        bytes_read: e.bytesRead,
        bytes_written: e.bytesWritten,
      });
    },
    hint,
    {
      keep,
      onFile: sinks.file
        ? (f) => {
            const c = f.clientDir === 1 ? 1 : 0;
            const sv = c === 1 ? 0 : 1;
            sinks.file!(
              {
                flow_id: flowId,
                ts: isoTime(f.tsSec, f.tsNsec),
                packet: f.packet,
                client_ip: ep.ip[c],
                client_port: ep.port[c],
                server_ip: ep.ip[sv],
                server_port: ep.port[sv],
                proto: 'smb2',
                name: f.name,
                content_type: null,
                size: f.size,
                declared_size: f.declaredSize,
                sha256: f.sha256,
                complete: f.complete,
                direction: f.direction,
              },
              f.content,
            );
          }
        : undefined,
    },
  );
  return {
    data: (dir, b, packet, sec, nsec) => s.data(dir, b, packet, sec, nsec),
    gap: (dir) => s.gap(dir),
    end: () => {},
    close: () => s.close(),
    finished: false,
  };
}
