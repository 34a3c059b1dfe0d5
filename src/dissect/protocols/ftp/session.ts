/** FTP control-connection state: USER/PASS pairs, AUTH TLS, and data connections with the command that uses them. */
import {
  parseCommand,
  parseEprt,
  parseEpsv,
  parseHostPort,
  parseReply,
  type DataEndpoint,
} from './decode.js';
import type { Emit } from './text-events.js';

export class FtpSession {
  private user: string | null = null;
  private pendingData: DataEndpoint | null = null;

  constructor(private readonly emit: Emit) {}

  client(line: string): void {
    const c = parseCommand(line);
    if (!c) return;
    switch (c.verb) {
      case 'USER':
        this.user = c.arg;
        break;
      case 'PASS':
        this.emit({
          type: 'credential',
          method: 'user/pass',
          username: this.user,
          password: c.arg,
          detail: null,
        });
        this.user = null;
        break;
      case 'PORT': {
        const d = parseHostPort(c.arg);
        if (d) this.pendingData = d;
        break;
      }
      case 'EPRT': {
        const d = parseEprt(c.arg);
        if (d) this.pendingData = d;
        break;
      }
      case 'RETR':
      case 'STOR':
      case 'STOU':
      case 'APPE':
      case 'LIST':
      case 'NLST':
      case 'MLSD':
        if (this.pendingData) {
          this.emit({ type: 'data-endpoint', ...this.pendingData, command: c.verb, arg: c.arg || null });
          this.pendingData = null;
        }
        break;
    }
  }

  server(line: string, authTlsAsked: boolean): void {
    const r = parseReply(line);
    if (!r || r.more) return;
    if (r.code === 227) this.pendingData = parseHostPort(r.text) ?? this.pendingData;
    else if (r.code === 229) this.pendingData = parseEpsv(r.text) ?? this.pendingData;
    else if (r.code === 234 && authTlsAsked) this.emit({ type: 'starttls' });
  }
}
