/**
 * Stable error codes. Every error a user can see carries one; tests and the HTTP API match on the code,
 * never on the message text.
 */
export type ErrorCode =
  | 'E_USAGE' // bad command line / API arguments
  | 'E_NOT_FOUND' // a file, capture id, flow id... that does not exist
  | 'E_NOT_CAPTURE' // input is not a pcap/pcapng (or gzip of one)
  | 'E_TRUNCATED' // input ends inside a header or record
  | 'E_BAD_RECORD' // impossible record/block length, caplen > snaplen, ...
  | 'E_LINKTYPE' // link type we cannot decode
  | 'E_FILTER' // filter expression does not parse or names an unknown field
  | 'E_STORE' // database failure
  | 'E_EXISTS' // output exists and --force was not given
  | 'E_LIMIT' // a configured resource limit was exceeded
  | 'E_IO'; // read/write failure

export class PcaplensError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'PcaplensError';
  }
}

export function isPcaplensError(e: unknown): e is PcaplensError {
  return e instanceof PcaplensError;
}
