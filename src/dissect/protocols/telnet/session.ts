/**
 * Telnet (RFC 854): option negotiation (IAC sequences, RFC 855 subnegotiation) is stripped from both
 * directions; the server's "login:" / "Password:" prompts say which client line is the user name and which the
 * password. Keystrokes usually arrive one per segment and are echoed back, so the client's bytes are collected
 * into lines with backspace applied.
 */
import type { Emit } from '../ftp/text-events.js';

const IAC = 255;
const SB = 250;
const SE = 240;
const MAX_LINE = 256;
const MAX_PROMPT = 256;

/** Strips IAC sequences; state survives across calls. */
export class IacStripper {
  private state = 0; // 0 data, 1 after IAC, 2 option byte, 3 in SB, 4 IAC inside SB

  strip(b: Uint8Array, start: number, end: number, out: (c: number) => void): void {
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      switch (this.state) {
        case 0:
          if (c === IAC) this.state = 1;
          else out(c);
          break;
        case 1:
          if (c === IAC) {
            out(IAC);
            this.state = 0;
          } else if (c >= 251) this.state = 2;
          else if (c === SB) this.state = 3;
          else this.state = 0;
          break;
        case 2:
          this.state = 0;
          break;
        case 3:
          if (c === IAC) this.state = 4;
          break;
        case 4:
          this.state = c === SE ? 0 : 3;
          break;
      }
    }
  }
}

export class TelnetSession {
  private readonly strip: [IacStripper, IacStripper] = [new IacStripper(), new IacStripper()];
  /** the server's text since its last line end: its last MAX_PROMPT bytes end at promptLen (made on first use) */
  private promptBuf: Uint8Array | null = null;
  private promptLen = 0;
  private line = '';
  private expect: '' | 'user' | 'pass' = '';
  private user: string | null = null;

  constructor(
    private readonly emit: Emit,
    private readonly clientDir: 0 | 1,
  ) {}

  data(dir: 0 | 1, b: Uint8Array): void {
    if (dir === this.clientDir) this.strip[dir].strip(b, 0, b.length, (c) => this.clientChar(c));
    else this.strip[dir].strip(b, 0, b.length, (c) => this.serverChar(c));
  }

  private serverChar(c: number): void {
    if (c === 10 || c === 13) {
      this.promptLen = 0;
      return;
    }
    // the prompt so far (since the last line end), its last MAX_PROMPT bytes kept in a window twice that size
    let buf = this.promptBuf;
    if (buf === null) buf = this.promptBuf = new Uint8Array(2 * MAX_PROMPT);
    if (this.promptLen === buf.length) {
      buf.copyWithin(0, buf.length - MAX_PROMPT);
      this.promptLen = MAX_PROMPT;
    }
    buf[this.promptLen++] = c;
    // a prompt ends in ":" and maybe blanks: only after one of those bytes can the text below match
    if (c !== 0x3a && c !== 0x20 && c !== 0x09 && c !== 0x0b && c !== 0x0c && c !== 0xa0) return;
    const from = Math.max(0, this.promptLen - MAX_PROMPT);
    const p = String.fromCharCode
      .apply(null, buf.subarray(from, this.promptLen) as unknown as number[])
      .toLowerCase()
      .trimEnd();
    if (/(login|username|user name|user)\s*:$/.test(p)) {
      this.expect = 'user';
      this.line = '';
    } else if (/pass(word|code)?\s*:$/.test(p)) {
      this.expect = 'pass';
      this.line = '';
    }
  }

  private clientChar(c: number): void {
    if (c === 13 || c === 10) {
      if (c === 10 && this.line === '') return;
      const text = this.line;
      this.line = '';
      if (this.expect === 'user') {
        this.user = text;
        this.expect = '';
      } else if (this.expect === 'pass') {
        this.expect = '';
        this.emit({
          type: 'credential',
          method: 'login prompt',
          username: this.user,
          password: text,
          detail: null,
        });
        this.user = null;
      }
      return;
    }
    if (c === 0) return;
    if (c === 8 || c === 127) {
      this.line = this.line.slice(0, -1);
      return;
    }
    if (this.line.length < MAX_LINE) this.line += String.fromCharCode(c);
  }
}
