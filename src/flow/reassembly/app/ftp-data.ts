/** One FTP data connection: the bytes it carries are hashed and reported as a file row when it ends. */
import { Sha256 } from '../../../shared/sha256.js';
import { toHex } from '../../../shared/md5.js';
import { rowBase, type Endpoints } from './base.js';
import type { FtpExpectation } from './line-protocols.js';
import type { AppSinks } from './sinks.js';

/** Commands whose data connection carries a file (LIST/NLST/MLSD carry directory listings). */
const FILE_COMMANDS = new Set(['RETR', 'STOR', 'STOU', 'APPE']);

export class FtpData {
  private readonly hash = new Sha256();
  private size = 0;
  private gaps = 0;
  private packet = 0;
  private sec = 0;
  private nsec = 0;
  private sender = -1;

  constructor(
    private readonly e: FtpExpectation,
    private readonly flowId: number,
    private readonly ep: Endpoints,
    private readonly sinks: AppSinks,
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
  }

  gap(len: number): void {
    this.gaps += len;
    this.size += len;
  }

  close(): void {
    if (!this.sinks.file || this.e.command === null || !FILE_COMMANDS.has(this.e.command) || this.size === 0)
      return;
    const upload = this.e.command !== 'RETR';
    // the FTP client receives a download: the receiving side of the data is the client
    const clientDir = this.sender < 0 ? 0 : upload ? this.sender : this.sender === 0 ? 1 : 0;
    this.sinks.file({
      ...rowBase(this.flowId, this.ep, clientDir, this.packet, this.sec, this.nsec),
      proto: 'ftp',
      name: this.e.arg,
      content_type: null,
      size: this.size,
      declared_size: null,
      sha256: this.gaps === 0 ? toHex(this.hash.digest()) : null,
      complete: this.gaps === 0,
      direction: upload ? 'upload' : 'download',
    });
  }
}
