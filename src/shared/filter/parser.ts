import type { CompareOp, FilterNode, Literal } from './ast.js';
import { FilterError } from './filter-error.js';
import { tokenize, type Token } from './lexer.js';

/**
 * Recursive descent over the tokens. Precedence, loosest first: `or`/`||`, `and`/`&&`, `not`/`!`, then a
 * comparison or a bare field; both binary operators are left-associative.
 */

const MAX_DEPTH = 64;
const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const WORD_OPS: Record<string, CompareOp> = {
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  contains: 'contains',
  matches: 'matches',
};
const SYMBOL_OPS: Record<string, CompareOp> = {
  '==': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '~': 'matches',
};
const KEYWORDS = new Set(['and', 'or', 'not', ...Object.keys(WORD_OPS)]);
const COMPARE_NAMES = ["'=='", "'!='", "'<'", "'<='", "'>'", "'>='", "'contains'", "'matches'"];

function describe(t: Token): string {
  if (t.kind === 'end') return 'end of filter';
  if (t.kind === 'string') return `string ${JSON.stringify(t.text)}`;
  return `'${t.text}'`;
}

function keyword(t: Token): string | null {
  if (t.kind !== 'word') return null;
  const k = t.text.toLowerCase();
  return KEYWORDS.has(k) ? k : null;
}

/** Decides what an unquoted value word is. Addresses are checked for real in validate. */
export function classifyWord(text: string, pos: number): Literal {
  if (/^-?\d+(\.\d+)?$/.test(text) || /^0x[0-9a-fA-F]+$/.test(text)) {
    return { kind: 'number', value: Number(text), raw: text, pos };
  }
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,3}))?$/.exec(text);
  if (v4) return { kind: 'ipv4', raw: v4[1]!, prefix: v4[2] === undefined ? null : Number(v4[2]), pos };
  if (/^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(?:\1[0-9a-fA-F]{2}){4}$/.test(text))
    return { kind: 'mac', raw: text, pos };
  const v6 = /^([0-9a-fA-F:.]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)(?:\/(\d{1,3}))?$/.exec(text);
  if (v6) return { kind: 'ipv6', raw: v6[1]!, prefix: v6[2] === undefined ? null : Number(v6[2]), pos };
  return { kind: 'word', raw: text, pos };
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'end') this.i++;
    return t;
  }

  parse(): FilterNode {
    if (this.peek().kind === 'end') throw new FilterError('empty filter', 0, { expected: ['a field name'] });
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'end') {
      throw new FilterError(`unexpected ${describe(t)}`, t.pos, {
        expected: t.kind === 'rparen' ? ['end of filter'] : ["'and'", "'or'", 'end of filter'],
      });
    }
    return node;
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) throw new FilterError(`nesting deeper than ${MAX_DEPTH}`, pos);
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    for (;;) {
      const t = this.peek();
      if (!(keyword(t) === 'or' || (t.kind === 'op' && t.text === '||'))) return left;
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(), pos: t.pos };
    }
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (!(keyword(t) === 'and' || (t.kind === 'op' && t.text === '&&'))) return left;
      this.next();
      left = { kind: 'and', left, right: this.parseUnary(), pos: t.pos };
    }
  }

  private parseUnary(): FilterNode {
    const t = this.peek();
    if (keyword(t) === 'not' || (t.kind === 'op' && t.text === '!')) {
      this.next();
      this.enter(t.pos);
      const expr = this.parseUnary();
      this.depth--;
      return { kind: 'not', expr, pos: t.pos };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const t = this.next();
    if (t.kind === 'lparen') {
      this.enter(t.pos);
      const inner = this.parseOr();
      this.depth--;
      const close = this.next();
      if (close.kind !== 'rparen') {
        throw new FilterError(`unexpected ${describe(close)}`, close.pos, {
          expected: ["')'", "'and'", "'or'"],
        });
      }
      return inner;
    }
    if (t.kind !== 'word' || keyword(t) !== null || !FIELD_RE.test(t.text)) {
      throw new FilterError(`unexpected ${describe(t)}`, t.pos, {
        expected: ['a field name', "'('", "'not'"],
      });
    }
    const field = t.text;
    const opTok = this.peek();
    let op: CompareOp | undefined;
    if (opTok.kind === 'op') op = SYMBOL_OPS[opTok.text];
    else if (opTok.kind === 'word') op = WORD_OPS[opTok.text.toLowerCase()];
    if (op === undefined) {
      // a bare field: presence. What follows must end the term.
      if (opTok.kind === 'word' && keyword(opTok) === null) {
        throw new FilterError(`unexpected ${describe(opTok)} after field ${field}`, opTok.pos, {
          expected: [...COMPARE_NAMES, "'and'", "'or'"],
        });
      }
      return { kind: 'exists', field, pos: t.pos };
    }
    this.next();
    const v = this.next();
    let value: Literal;
    if (v.kind === 'string') value = { kind: 'string', value: v.text, pos: v.pos };
    else if (v.kind === 'word' && keyword(v) === null) value = classifyWord(v.text, v.pos);
    else
      throw new FilterError(`unexpected ${describe(v)} after '${opTok.text}'`, v.pos, {
        expected: ['a value'],
      });
    return { kind: 'compare', field, op, value, pos: opTok.pos, fieldPos: t.pos };
  }
}

/** Parses a filter expression into its syntax tree; throws FilterError (E_FILTER) with the position. */
export function parseFilter(src: string): FilterNode {
  return new Parser(tokenize(src)).parse();
}
