/** Stream parsers of text protocols (FTP, SMTP, POP3, IMAP, Telnet, SSH banners, ...), chosen by app id. */
import type { Endpoints } from './base.js';
import type { AppSinks } from './sinks.js';

export interface LineSession {
  data(dir: 0 | 1, b: Uint8Array, packet: number, tsSec: number, tsNsec: number): void;
  gap(dir: 0 | 1, len: number): void;
  end(dir: 0 | 1): void;
  close(): void;
}

export function lineProtocolFor(
  _app: string,
  _flowId: number,
  _ep: Endpoints,
  _sinks: AppSinks,
): LineSession | null {
  return null;
}
