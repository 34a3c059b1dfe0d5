/**
 * A small strict XML well-formedness checker (for tests and for a sanity check before writing SVG/GEXF):
 * one root element, properly nested and closed tags, quoted unique attributes, only the five predefined
 * entities or character references, no "]]>" or raw "<" in text, only legal XML characters. It does not
 * validate against a schema; comments, PIs, CDATA and a DOCTYPE (with an internal subset) are accepted.
 */
export interface XmlCheck {
  ok: boolean;
  error: string | null;
  root: string | null;
  elements: number;
}

const NAME = /^[A-Za-z_:][\w.\-:]*/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const BAD_CHAR =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkText(t: string, where: number): string | null {
  if (t.includes(']]>')) return `"]]>" in text at ${where}`;
  for (let i = t.indexOf('&'); i >= 0; i = t.indexOf('&', i + 1)) {
    if (!ENTITY.test(t.slice(i, i + 12))) return `bad entity reference at ${where + i}`;
  }
  return null;
}

export function checkXml(doc: string): XmlCheck {
  const fail = (error: string): XmlCheck => ({ ok: false, error, root: null, elements: 0 });
  const bad = BAD_CHAR.exec(doc);
  if (bad) return fail(`illegal character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`);
  const stack: string[] = [];
  let root: string | null = null;
  let elements = 0;
  let i = 0;
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    if (stack.length === 0 && text.trim() !== '') return fail(`text outside the root element at ${i}`);
    const te = checkText(text, i);
    if (te) return fail(te);
    if (lt < 0) break;
    i = lt;
    if (doc.startsWith('<!--', i)) {
      const end = doc.indexOf('-->', i + 4);
      if (end < 0 || doc.slice(i + 4, end).includes('--')) return fail(`bad comment at ${i}`);
      i = end + 3;
    } else if (doc.startsWith('<?', i)) {
      const end = doc.indexOf('?>', i);
      if (end < 0) return fail(`unclosed processing instruction at ${i}`);
      i = end + 2;
    } else if (doc.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) return fail(`CDATA outside the root at ${i}`);
      const end = doc.indexOf(']]>', i);
      if (end < 0) return fail(`unclosed CDATA at ${i}`);
      i = end + 3;
    } else if (doc.startsWith('<!DOCTYPE', i)) {
      if (root !== null) return fail(`DOCTYPE after the root at ${i}`);
      const bracket = doc.indexOf('[', i);
      const gt = doc.indexOf('>', i);
      if (gt < 0) return fail('unclosed DOCTYPE');
      if (bracket >= 0 && bracket < gt) {
        const end = doc.indexOf(']>', bracket);
        if (end < 0) return fail('unclosed DOCTYPE subset');
        i = end + 2;
      } else i = gt + 1;
    } else if (doc.startsWith('</', i)) {
      const m = NAME.exec(doc.slice(i + 2));
      if (!m) return fail(`bad end tag at ${i}`);
      const after = i + 2 + m[0].length;
      const gt = doc.indexOf('>', after);
      if (gt < 0 || doc.slice(after, gt).trim() !== '') return fail(`bad end tag at ${i}`);
      const open = stack.pop();
      if (open !== m[0]) return fail(`</${m[0]}> closes <${open ?? 'nothing'}> at ${i}`);
      i = gt + 1;
    } else {
      const m = NAME.exec(doc.slice(i + 1));
      if (!m) return fail(`bad start tag at ${i}`);
      if (stack.length === 0 && root !== null) return fail(`second root element <${m[0]}> at ${i}`);
      let j = i + 1 + m[0].length;
      const seen = new Set<string>();
      for (;;) {
        const ws = /^\s*/.exec(doc.slice(j))![0].length;
        j += ws;
        if (doc.startsWith('/>', j) || doc[j] === '>') break;
        if (ws === 0) return fail(`missing space before attribute at ${j}`);
        const an = NAME.exec(doc.slice(j));
        if (!an) return fail(`bad attribute at ${j}`);
        if (seen.has(an[0])) return fail(`duplicate attribute ${an[0]} at ${j}`);
        seen.add(an[0]);
        j += an[0].length;
        const eq = /^\s*=\s*/.exec(doc.slice(j));
        if (!eq) return fail(`attribute without value at ${j}`);
        j += eq[0].length;
        const q = doc[j];
        if (q !== '"' && q !== "'") return fail(`unquoted attribute value at ${j}`);
        const end = doc.indexOf(q, j + 1);
        if (end < 0) return fail(`unclosed attribute value at ${j}`);
        const val = doc.slice(j + 1, end);
        if (val.includes('<')) return fail(`"<" in attribute value at ${j}`);
        const ve = checkText(val, j + 1);
        if (ve) return fail(ve);
        j = end + 1;
      }
      elements++;
      if (root === null) root = m[0];
      if (doc.startsWith('/>', j)) i = j + 2;
      else {
        stack.push(m[0]);
        i = j + 1;
      }
    }
  }
  if (stack.length) return fail(`unclosed <${stack[stack.length - 1]}>`);
  if (root === null) return fail('no root element');
  return { ok: true, error: null, root, elements };
}
