/** SMB2 connections as a stream parser of the app layer: each finished command becomes an smb row. */
import { Smb2Session } from '../../../dissect/protocols/smb2/session.js';
import { rowBase, type Endpoints } from './base.js';
import type { LineSession } from './line-protocols.js';
import type { AppSinks } from './sinks.js';

const SERVER_PORTS = [445, 139];

export function smb2Stream(flowId: number, ep: Endpoints, sinks: AppSinks): LineSession {
  const hint = SERVER_PORTS.includes(ep.port[1]) ? 0 : SERVER_PORTS.includes(ep.port[0]) ? 1 : -1;
  const s = new Smb2Session((e) => {
    sinks.smb?.({
      ...rowBase(flowId, ep, e.clientDir, e.packet, e.tsSec, e.tsNsec),
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
  }, hint);
  return {
    data: (dir, b, packet, sec, nsec) => s.data(dir, b, packet, sec, nsec),
    gap: (dir) => s.gap(dir),
    end: () => {},
    close: () => s.close(),
    finished: false,
  };
}
