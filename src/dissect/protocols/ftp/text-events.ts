/** What the text-protocol sessions (FTP, SMTP, POP3, IMAP, Telnet) report to the application layer. */
export type TextEvent =
  | {
      type: 'credential';
      method: string;
      username: string | null;
      password: string | null;
      detail: string | null;
    }
  /** the connection switched to TLS (STARTTLS/STLS/AUTH TLS accepted): nothing more to read */
  | { type: 'starttls' }
  /** an e-mail message (SMTP DATA, POP3 RETR) or a transferred file name announced on a control connection */
  | {
      type: 'message';
      subject: string | null;
      from: string | null;
      to: string[];
      size: number;
      sha256: string | null;
      /** the message text, when the session was asked to keep it (cut at its cap: shorter than size) */
      content?: Uint8Array;
    }
  /** a MIME attachment of a message (decoded); content holds its first bytes, or more when kept for extraction */
  | {
      type: 'attachment';
      name: string | null;
      contentType: string | null;
      size: number;
      sha256: string | null;
      complete: boolean;
      content: Uint8Array;
    }
  /** FTP: a data connection was announced (PORT/EPRT by the client, 227/229 by the server) */
  | { type: 'data-endpoint'; ip: string | null; port: number; command: string | null; arg: string | null };

export type Emit = (e: TextEvent) => void;
