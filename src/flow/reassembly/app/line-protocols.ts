/**
 * Stream parsers of the text protocols (FTP, SMTP, POP3, IMAP, Telnet) and SSH's clear-text start, chosen by
 * app id, turning their events into credential, file and ssh rows.
 */
import type { AppRowBase } from '../../../shared/app-rows.js';
import { LineSplitter } from '../../../dissect/protocols/ftp/lines.js';
import type { TextEvent } from '../../../dissect/protocols/ftp/text-events.js';
import { FtpSession } from '../../../dissect/protocols/ftp/session.js';
import { SmtpSession } from '../../../dissect/protocols/smtp/session.js';
import { Pop3Session } from '../../../dissect/protocols/pop3/session.js';
import { ImapSession } from '../../../dissect/protocols/imap/session.js';
import { TelnetSession } from '../../../dissect/protocols/telnet/session.js';
import { SshSide, hassh, hasshServer } from '../../../dissect/protocols/ssh/decode.js';
import { rowBase, type Endpoints } from './base.js';
import type { AppSinks } from './sinks.js';

export interface LineSession {
  data(dir: 0 | 1, b: Uint8Array, packet: number, tsSec: number, tsNsec: number): void;
  gap(dir: 0 | 1, len: number): void;
  end(dir: 0 | 1): void;
  close(): void;
  /** nothing more to learn (STARTTLS, SSH past KEXINIT) */
  readonly finished: boolean;
}

/** An FTP data connection announced on a control connection. */
export interface FtpExpectation {
  ip: string | null;
  port: number;
  command: string | null;
  arg: string | null;
  controlFlow: number;
  /** server address of the control connection (for EPSV, which gives a port only) */
  serverIp: string;
}

/** Well-known server ports: the other side is the client. */
const SERVER_PORTS: Record<string, number[]> = {
  ftp: [21],
  smtp: [25, 587, 2525],
  pop3: [110],
  imap: [143],
  telnet: [23],
  ssh: [22],
};

function clientDirOf(app: string, ep: Endpoints): 0 | 1 {
  const ports = SERVER_PORTS[app] ?? [];
  if (ports.includes(ep.port[1])) return 0;
  if (ports.includes(ep.port[0])) return 1;
  return 0;
}

export function lineProtocolFor(
  app: string,
  flowId: number,
  ep: Endpoints,
  sinks: AppSinks,
  expect: (e: FtpExpectation) => void,
  /** file extraction: keep mail text and attachments (SMTP, POP3, IMAP) up to `bytes` each, taken from `budget` */
  keep: { bytes: number; budget?: { left: number } } | null = null,
): LineSession | null {
  if (app === 'ssh') return sshSession(flowId, ep, sinks);
  const clientDir = clientDirOf(app, ep);
  let packet = 0;
  let sec = 0;
  let nsec = 0;
  let finished = false;
  const base = (): AppRowBase => rowBase(flowId, ep, clientDir, packet, sec, nsec);
  const emit = (e: TextEvent): void => {
    switch (e.type) {
      case 'credential':
        sinks.credential?.({
          ...base(),
          proto: app,
          method: e.method,
          username: e.username,
          password: e.password,
          detail: e.detail,
        });
        break;
      case 'starttls':
        finished = true;
        break;
      case 'message':
        sinks.file?.(
          {
            ...base(),
            proto: app,
            name: e.subject,
            content_type: 'message/rfc822',
            size: e.size,
            declared_size: null,
            sha256: e.sha256,
            complete: e.sha256 !== null,
            direction: app === 'smtp' ? 'upload' : 'download',
          },
          e.content ?? null,
        );
        break;
      case 'attachment':
        sinks.file?.(
          {
            ...base(),
            proto: app,
            name: e.name,
            content_type: e.contentType,
            size: e.size,
            declared_size: null,
            sha256: e.sha256,
            complete: e.complete,
            direction: app === 'smtp' ? 'upload' : 'download',
          },
          e.content,
        );
        break;
      case 'data-endpoint':
        expect({
          ip: e.ip,
          port: e.port,
          command: e.command,
          arg: e.arg,
          controlFlow: flowId,
          serverIp: ep.ip[clientDir === 0 ? 1 : 0],
        });
        break;
    }
  };
  let client: (l: string, cut: boolean) => void;
  let server: (l: string, cut: boolean) => void;
  let close = (): void => {};
  let imapServer: ImapSession | null = null;
  // mail text and attachments only ever become file rows
  const readMessages = sinks.file !== undefined;
  if (app === 'telnet') {
    const t = new TelnetSession(emit, clientDir);
    return {
      data(dir, b, p, s, n) {
        packet = p;
        sec = s;
        nsec = n;
        t.data(dir, b);
      },
      gap() {},
      end() {},
      close() {},
      get finished() {
        return false;
      },
    };
  }
  if (app === 'ftp') {
    const f = new FtpSession(emit);
    let authTls = false;
    client = (l) => {
      if (/^AUTH\s+(TLS|SSL)/i.test(l)) authTls = true;
      f.client(l);
    };
    server = (l) => f.server(l, authTls);
  } else if (app === 'smtp') {
    const s = new SmtpSession(emit, keep, readMessages);
    client = (l, cut) => s.client(l, cut);
    server = (l) => s.server(l);
    close = () => s.close();
  } else if (app === 'pop3') {
    const s = new Pop3Session(emit, keep, readMessages);
    client = (l) => s.client(l);
    server = (l, cut) => s.server(l, cut);
    close = () => s.close();
  } else if (app === 'imap') {
    // the server side is read as bytes: FETCH literals are counted, not split into lines
    const s = new ImapSession(emit, keep, readMessages);
    client = (l) => s.client(l);
    server = (l) => s.server(l);
    close = () => s.close();
    imapServer = s;
  } else return null;
  const split: [LineSplitter, LineSplitter] = [
    new LineSplitter((l, cut) => (clientDir === 0 ? client(l, cut) : server(l, cut))),
    new LineSplitter((l, cut) => (clientDir === 1 ? client(l, cut) : server(l, cut))),
  ];
  return {
    data(dir, b, p, s, n) {
      if (finished) return;
      packet = p;
      sec = s;
      nsec = n;
      if (imapServer !== null && dir !== clientDir) imapServer.serverData(b);
      else split[dir].push(b);
    },
    gap(dir) {
      if (imapServer !== null && dir !== clientDir) imapServer.serverGap();
      else split[dir].reset();
    },
    end() {},
    close() {
      close();
    },
    get finished() {
      return finished;
    },
  };
}

function sshSession(flowId: number, ep: Endpoints, sinks: AppSinks): LineSession {
  const sides: [SshSide, SshSide] = [new SshSide(), new SshSide()];
  let packet = 0;
  let sec = 0;
  let nsec = 0;
  let emitted = false;
  const emit = (): void => {
    if (emitted) return;
    emitted = true;
    // the client is the side whose banner came first on a connection it opened: use the well-known port,
    // else the flow's first sender
    const c = clientDirOf('ssh', ep);
    const cs = sides[c];
    const ss = sides[c === 0 ? 1 : 0];
    if (!cs.banner && !ss.banner) return;
    const h = cs.kexinit ? hassh(cs.kexinit) : null;
    const hs = ss.kexinit ? hasshServer(ss.kexinit) : null;
    sinks.ssh?.({
      ...rowBase(flowId, ep, c, packet, sec, nsec),
      client_banner: cs.banner,
      server_banner: ss.banner,
      hassh: h?.hash ?? null,
      hassh_string: h?.text ?? null,
      hassh_server: hs?.hash ?? null,
      hassh_server_string: hs?.text ?? null,
    });
  };
  return {
    data(dir, b, p, s, n) {
      if (packet === 0) {
        packet = p;
        sec = s;
        nsec = n;
      }
      sides[dir].push(b);
      if (sides[0].done && sides[1].done) emit();
    },
    gap(dir) {
      sides[dir].dead = true;
    },
    end() {},
    close() {
      emit();
    },
    get finished() {
      return sides[0].done && sides[1].done;
    },
  };
}
