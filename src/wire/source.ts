/**
 * Where capture bytes come from. `wire` stays free of node:* (ARCHITECTURE.md), so file and gzip sources are
 * implemented in engine/ (Node) and could be implemented over fetch/File streams in a browser.
 */
export interface ByteSource {
  /** display name (file path or upload name), used in problems */
  readonly name: string;
  /** total size in bytes if known (compressed size for gzip), else -1 */
  readonly size: number;
  /**
   * Reads up to `length` bytes into `into` at `offset`; resolves to the number of bytes read, 0 at end of input.
   * Rejects only on I/O failure.
   */
  read(into: Uint8Array, offset: number, length: number): Promise<number>;
  /** bytes consumed from the underlying file (compressed bytes for gzip): drives progress bars */
  readonly consumed: number;
  /** true when the bytes are decompressed on the fly (gzip): `size` and `consumed` then count compressed bytes */
  readonly compressed?: boolean;
  /**
   * true when read() does its work off the calling thread (a file read in libuv's thread pool): the chunk
   * buffer then asks for the next chunk while the current one is decoded (ChunkBuffer.readAhead)
   */
  readonly readsAhead?: boolean;
  close(): Promise<void>;
}
