/**
 * Output escaping for strings that come from a capture (host names, labels, protocol names). A capture is
 * attacker-controlled, so every string is assumed hostile: quotes, backslashes, markup, "]]>", newlines,
 * terminal escape sequences, lone surrogates.
 */

/**
 * Replaces characters that must never reach an output document: C0/C1 controls other than tab and newline
 * (a terminal escape starts with ESC), DEL, lone surrogates, and U+FFFE/U+FFFF (not XML characters). They
 * become a visible "\xNN" (or U+FFFD for broken surrogates) so an analyst still sees something was there.
 */
export function visibleText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else out += '\ufffd';
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f)) out += '\\x' + hex2(c);
    else if (c === 0xfffe || c === 0xffff) out += '\ufffd';
    else out += s[i]!;
  }
  return out;
}

function hex2(c: number): string {
  return c.toString(16).padStart(2, '0');
}

/** Text content or attribute value for XML, SVG and HTML (both quote kinds escaped, so it fits either). */
export function xmlEscape(s: string): string {
  return visibleText(s).replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]!);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** HTML uses the same rules as XML here (no raw-text elements are ever filled with capture data). */
export const htmlEscape = xmlEscape;

/**
 * A Graphviz double-quoted string for a label or tooltip. In quoted strings Graphviz reads `\"`, treats `\`
 * as the start of an escString (\n, \l, \N, \G ...) and decodes `&...;` entities, so: backslash -> `\\`,
 * quote -> `\"`, `&` -> `&amp;` (the literal text survives), newline -> `\n` (a line break in the label; pass
 * multi-line labels with '\n'). Control characters become visible "\\xNN".
 */
export function dotString(s: string): string {
  const v = visibleText(s);
  let out = '"';
  for (const ch of v) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '&') out += '&amp;';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += ' ';
    else out += ch;
  }
  return out + '"';
}

/**
 * A CSV cell (RFC 4180 quoting) that a spreadsheet will not run as a formula: cells starting with = + - @
 * tab or CR get a leading apostrophe (OWASP "CSV injection"), except plain numbers.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = visibleText(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
