import { FilterError } from './filter-error.js';

/** Longest `matches` pattern accepted. */
export const MAX_REGEX_LENGTH = 256;

/**
 * Checks a `matches` pattern before anything compiles it. Both SQL engines and JavaScript must agree on
 * what it means, and the JavaScript engine backtracks, so we refuse what could run away or what the
 * engines read differently: backreferences, lookaround, and a quantified group that itself contains a
 * quantifier (`(a+)+`, `(x|y*)*`), the classic catastrophic shapes. A leading `(?i)` means ignore case.
 */
export function checkRegex(pattern: string, pos: number): { source: string; ignoreCase: boolean } {
  let source = pattern;
  let ignoreCase = false;
  if (source.startsWith('(?i)')) {
    ignoreCase = true;
    source = source.slice(4);
  }
  if (source.length > MAX_REGEX_LENGTH) {
    throw new FilterError(`regular expression longer than ${MAX_REGEX_LENGTH} characters`, pos);
  }
  // stack of "does this open group contain a quantifier"
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      if (/[1-9k]/.test(e)) throw new FilterError('backreferences are not allowed in matches', pos);
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      if (source[i + 1] === '?' && /^(=|!|<=|<!)/.test(source.slice(i + 2, i + 4))) {
        throw new FilterError('lookahead and lookbehind are not allowed in matches', pos);
      }
      stack.push(false);
    } else if (c === ')') {
      const inner = stack.pop();
      if (inner === undefined) break; // unbalanced: RegExp reports it below
      const q = source[i + 1];
      const quantified = q === '*' || q === '+' || q === '{' || q === '?';
      if (inner && quantified && q !== '?') {
        throw new FilterError('nested quantifiers like (a+)+ are not allowed in matches', pos);
      }
      if (stack.length && (inner || quantified)) stack[stack.length - 1] = true;
    } else if ((c === '*' || c === '+' || c === '{') && stack.length) {
      stack[stack.length - 1] = true;
    }
  }
  try {
    new RegExp(source, ignoreCase ? 'i' : '');
  } catch (e) {
    throw new FilterError(`bad regular expression: ${(e as Error).message}`, pos);
  }
  return { source, ignoreCase };
}
