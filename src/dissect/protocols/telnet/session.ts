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
  private prompt = '';
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
      this.prompt = '';
      return;
    }
    this.prompt = (this.prompt + String.fromCharCode(c)).slice(-MAX_PROMPT);
    const p = this.prompt.toLowerCase().trimEnd();
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
