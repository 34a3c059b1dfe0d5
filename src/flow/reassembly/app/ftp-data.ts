/** One FTP data connection: the bytes it carries are hashed and reported as a file row when it ends. */
import { createSha256 } from '../../../shared/sha256.js';
import { toHex } from '../../../shared/md5.js';
import { rowBase, type Endpoints } from './base.js';
import type { FtpExpectation } from './line-protocols.js';
import type { AppSinks } from './sinks.js';

/** Commands whose data connection carries a file (LIST/NLST/MLSD carry directory listings). */
const FILE_COMMANDS = new Set(['RETR', 'STOR', 'STOU', 'APPE']);

export class FtpData {
  private readonly hash = createSha256();
  private size = 0;
  private gaps = 0;
  private packet = 0;
  private sec = 0;
  private nsec = 0;
  private sender = -1;
  /** extraction: the bytes kept so far (at most keepBytes, taken from keepBudget) */
  private kept: Uint8Array[] = [];
  private keptLen = 0;

  constructor(
    private readonly e: FtpExpectation,
    private readonly flowId: number,
    private readonly ep: Endpoints,
    private readonly sinks: AppSinks,
    private readonly keepBytes = 0,
    private readonly keepBudget?: { left: number },
  ) {}

  data(dir: 0 | 1, b: Uint8Array, packet: number, sec: number, nsec: number): void {
    if (this.packet === 0) {
      this.packet = packet;
      this.sec = sec;
      this.nsec = nsec;
      this.sender = dir;
    }
    this.size += b.length;
    this.hash.update(b);
    // a gap ends what can be kept: the bytes after it would not sit at their place in the file
    if (this.keepBytes > 0 && this.gaps === 0) this.keep(b);
  }

  private keep(b: Uint8Array): void {
    let n = Math.min(b.length, this.keepBytes - this.keptLen);
    if (this.keepBudget) n = Math.min(n, this.keepBudget.left);
    if (n <= 0) return;
    if (this.keepBudget) this.keepBudget.left -= n;
    this.kept.push(b.slice(0, n));
    this.keptLen += n;
  }

  private content(): Uint8Array | null {
    if (this.keptLen === 0) return null;
    const out = new Uint8Array(this.keptLen);
    let o = 0;
    for (const k of this.kept) {
      out.set(k, o);
      o += k.length;
    }
    return out;
  }

  gap(len: number): void {
    this.gaps += len;
    this.size += len;
  }

  close(): void {
    const content = this.content();
    if (this.keepBudget) this.keepBudget.left += this.keptLen;
    this.kept = [];
    this.keptLen = 0;
    if (!this.sinks.file || this.e.command === null || !FILE_COMMANDS.has(this.e.command) || this.size === 0)
      return;
    const upload = this.e.command !== 'RETR';
    // the FTP client receives a download: the receiving side of the data is the client
    const clientDir = this.sender < 0 ? 0 : upload ? this.sender : this.sender === 0 ? 1 : 0;
    this.sinks.file(
      {
        ...rowBase(this.flowId, this.ep, clientDir, this.packet, this.sec, this.nsec),
        proto: 'ftp',
        name: this.e.arg,
        content_type: null,
        size: this.size,
        declared_size: null,
        sha256: this.gaps === 0 ? toHex(this.hash.digest()) : null,
        complete: this.gaps === 0,
        direction: upload ? 'upload' : 'download',
      },
      content,
    );
  }
}
