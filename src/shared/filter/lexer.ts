import { FilterError } from './filter-error.js';

/**
 * Tokens of the filter language. Words are runs of letters, digits and `_ . : / -`, so field ids, numbers,
 * IPv4/IPv6/CIDR and MAC literals all arrive as one word and the parser decides what they are by position.
 */
export type TokenKind = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'end';

export interface Token {
  kind: TokenKind;
  /** word text, decoded string contents, or the operator */
  text: string;
  /** 0-based offset of the token's first character */
  pos: number;
}

/** Longest expressions and deepest nesting we accept; a filter can come from an HTTP query string. */
export const MAX_FILTER_LENGTH = 4096;

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '~'];

function isWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 || // _
    c === 46 || // .
    c === 58 || // :
    c === 47 || // /
    c === 45 // -
  );
}

function readString(src: string, start: number, tokens: Token[]): number {
  const quote = src[start]!;
  let out = '';
  let i = start + 1;
  for (;;) {
    if (i >= src.length)
      throw new FilterError('unterminated string', start, { expected: [`closing ${quote}`] });
    const c = src[i]!;
    if (c === quote) break;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = src[i + 1];
    if (e === undefined)
      throw new FilterError('unterminated string', start, { expected: [`closing ${quote}`] });
    const simple: Record<string, string> = {
      '"': '"',
      "'": "'",
      '\\': '\\',
      n: '\n',
      t: '\t',
      r: '\r',
      '0': '\0',
    };
    if (simple[e] !== undefined) {
      out += simple[e];
      i += 2;
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) {
      out += String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      throw new FilterError(`unknown escape \\${e} in string`, i, {
        expected: ['\\" \\\\ \\n \\t \\r \\0 \\xHH or \\uHHHH'],
      });
    }
  }
  tokens.push({ kind: 'string', text: out, pos: start });
  return i + 1;
}

/** Splits an expression into tokens; the last token is always `end`. */
export function tokenize(src: string): Token[] {
  if (src.length > MAX_FILTER_LENGTH) {
    throw new FilterError(`expression is longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (c === 40 || c === 41) {
      tokens.push({ kind: c === 40 ? 'lparen' : 'rparen', text: src[i]!, pos: i });
      i++;
      continue;
    }
    if (c === 34 || c === 39) {
      i = readString(src, i, tokens);
      continue;
    }
    const two = src.slice(i, i + 2);
    const op = OPS.find((o) => (o.length === 2 ? o === two : o === src[i]));
    if (op) {
      tokens.push({ kind: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }
    if (isWordChar(c)) {
      const start = i;
      while (i < src.length && isWordChar(src.charCodeAt(i))) i++;
      tokens.push({ kind: 'word', text: src.slice(start, i), pos: start });
      continue;
    }
    if (src[i] === '=') {
      throw new FilterError("single '=' is not an operator", i, { expected: ["'=='"] });
    }
    if (src[i] === '&' || src[i] === '|') {
      throw new FilterError(`single '${src[i]}' is not an operator`, i, {
        expected: [`'${src[i]!.repeat(2)}'`],
      });
    }
    throw new FilterError(`unexpected character ${JSON.stringify(src[i])}`, i);
  }
  tokens.push({ kind: 'end', text: '', pos: src.length });
  return tokens;
}
