/**
 * Makes capture-derived text safe to print on a terminal. Capture bytes are attacker-controlled: an ESC or CSI
 * in a hostname could move the cursor, rewrite earlier lines or set the window title. Every C0/C1 control, DEL
 * and the Unicode bidi/format controls that reorder text ("Trojan Source") are shown as visible escapes.
 */

function isUnsafe(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x061c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff ||
    (cp >= 0xd800 && cp <= 0xdfff) // a lone surrogate (from a broken decode) prints as garbage
  );
}

const NAMED: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r', 0x1b: '\\e' };

function escapeCodePoint(cp: number): string {
  const named = NAMED[cp];
  if (named) return named;
  if (cp <= 0xff) return '\\x' + cp.toString(16).padStart(2, '0');
  return '\\u' + cp.toString(16).padStart(4, '0');
}

/** The text with every unsafe code point replaced by a visible escape (\e, \x07, \u202e ...). */
export function terminalSafe(s: string): string {
  // fast path: most strings are plain printable ASCII
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  let out = '';
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i)!;
    const step = cp > 0xffff ? 2 : 1;
    // codePointAt returns a lone surrogate's own value, which isUnsafe catches
    out += isUnsafe(cp) ? escapeCodePoint(cp) : String.fromCodePoint(cp);
    i += step;
  }
  return out;
}

/** Columns a (safe) string takes on a terminal: wide East Asian characters count 2, combining marks 0. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Cuts a safe string to at most `max` display columns, ending with an ellipsis when cut. */
export function truncateToWidth(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}
