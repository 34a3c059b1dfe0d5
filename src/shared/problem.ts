import type { ErrorCode } from './errors.js';

/**
 * Something wrong found in an input file that did not stop the run (or stopped it after some packets were
 * read). Always names the file and the byte offset, so a user can look at it with a hex editor.
 */
export interface Problem {
  file: string;
  /** byte offset in the (decompressed) capture stream where the fault starts */
  offset: number;
  code: ErrorCode;
  message: string;
  /** 1-based frame number within the file, when the problem belongs to a packet */
  packet?: number;
}
