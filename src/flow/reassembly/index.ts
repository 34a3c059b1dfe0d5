export * from './types.js';
export { TcpReassembler, DirStats } from './tcp-reassembler.js';
export { StreamIndex } from './stream-index.js';
