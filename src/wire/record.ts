/**
 * One packet record as read from a capture. Readers fill a caller-owned PacketRecord in place (no allocation
 * per packet); `buf` is the reader's chunk buffer and stays valid only until that reader's next read()/fill().
 */
export const EMPTY_BYTES = new Uint8Array(0);

export class PacketRecord {
  /** index of the input file in the run (merge order of the command line) */
  fileIndex = 0;
  /** 1-based frame number within its file, as Wireshark numbers frames */
  n = 0;
  /** 1-based frame number over the whole read: n for one file, the position in the merge of several */
  frame = 0;
  /** byte offset of the record/block header in the (decompressed) capture stream */
  fileOffset = 0;
  /** byte offset of the first packet byte in the (decompressed) capture stream */
  dataOffset = 0;
  tsSec = 0;
  tsNsec = 0;
  /** false for pcapng Simple Packet Blocks, which carry no timestamp (ts is then the previous packet's) */
  hasTs = true;
  /** bytes captured (present in buf) */
  caplen = 0;
  /** original length on the wire */
  len = 0;
  /** LINKTYPE_* number of the record's interface */
  linkType = 0;
  /** pcapng interface id (0 for classic pcap) */
  interfaceId = 0;
  /** packet bytes are buf[off, off + caplen) */
  buf: Uint8Array = EMPTY_BYTES;
  off = 0;
  /** pcapng opt_comment of the packet, if any */
  comment: string | null = null;

  copyFrom(o: PacketRecord): void {
    this.fileIndex = o.fileIndex;
    this.n = o.n;
    this.frame = o.frame;
    this.fileOffset = o.fileOffset;
    this.dataOffset = o.dataOffset;
    this.tsSec = o.tsSec;
    this.tsNsec = o.tsNsec;
    this.hasTs = o.hasTs;
    this.caplen = o.caplen;
    this.len = o.len;
    this.linkType = o.linkType;
    this.interfaceId = o.interfaceId;
    this.buf = o.buf;
    this.off = o.off;
    this.comment = o.comment;
  }
}
