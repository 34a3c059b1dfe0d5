import type { FieldDef } from '../fields.js';
import type { CheckedFilter, CheckedNode, ColumnRef, CompareOp, FilterNode, Literal, Value } from './ast.js';
import { TRANSPORTS, flowRowTableOf, tableBindings, type Binding } from './bindings.js';
import { FilterError, nearestNames } from './filter-error.js';
import { ipKeyRange, normalizeMac } from './ip-key.js';
import { parseFilter } from './parser.js';
import { checkRegex } from './regex-safety.js';
import { TABLES, type TableName } from './tables.js';
import { isoToNs } from './time-bound.js';

/**
 * Resolves a parsed filter against one table: field ids to columns (bindings.ts), literals to the field's
 * type, `!=` to `not ==` (Wireshark 4's meaning: `ip.addr != x` is true when neither address is x).
 * Everything the user can get wrong is reported here, before any SQL or predicate exists.
 */

const ORDER_OPS: CompareOp[] = ['<', '<=', '>', '>='];
const NET_NAMES = ['ip', 'ipv4', 'ipv6', 'eth'];

function literalText(v: Literal): string {
  return v.kind === 'string' ? v.value : v.kind === 'number' ? v.raw : v.kind === 'word' ? v.raw : v.raw;
}

function convert(field: string, b: Binding, op: CompareOp, v: Literal): Value {
  const kind = b.cols[0]!.kind;
  const opName = `'${op}'`;
  const bad = (what: string) => new FilterError(`${field} ${what}`, v.pos);
  if (op === 'matches') {
    if (kind !== 'text' && kind !== 'text[]') throw bad(`is not text; ${opName} needs a text field`);
    if (v.kind !== 'string') throw bad(`matches needs a quoted pattern`);
    const r = checkRegex(v.value, v.pos);
    return { t: 'regex', source: r.source, ignoreCase: r.ignoreCase };
  }
  if (op === 'contains' && kind !== 'text' && kind !== 'text[]') {
    throw bad(`is not text; ${opName} needs a text field`);
  }
  switch (kind) {
    case 'text':
    case 'text[]':
      return { t: 'string', s: literalText(v) };
    case 'int':
    case 'float': {
      const n = v.kind === 'number' ? v.value : v.kind === 'string' ? Number(v.value) : NaN;
      if (!Number.isFinite(n) || (v.kind === 'string' && v.value.trim() === '')) {
        throw bad(`is a number; ${JSON.stringify(literalText(v))} is not`);
      }
      return { t: 'num', n };
    }
    case 'bool': {
      if (ORDER_OPS.includes(op)) throw bad(`is true/false; ${opName} does not apply`);
      const s = literalText(v).toLowerCase();
      if (s === 'true' || s === '1') return { t: 'bool', b: true };
      if (s === 'false' || s === '0') return { t: 'bool', b: false };
      throw bad(`is true/false; ${JSON.stringify(literalText(v))} is not`);
    }
    case 'ipkey': {
      let text = literalText(v);
      let prefix: number | null = v.kind === 'ipv4' || v.kind === 'ipv6' ? v.prefix : null;
      if (v.kind === 'string') {
        const m = /^(.*)\/(\d{1,3})$/.exec(text);
        if (m) {
          text = m[1]!;
          prefix = Number(m[2]);
        }
      }
      const r = ipKeyRange(text, prefix);
      if (!r) throw bad(`is an IP address; ${JSON.stringify(literalText(v))} is not an address or CIDR`);
      if (r.lo !== r.hi && ORDER_OPS.includes(op))
        throw bad(`: ${opName} needs a single address, not a CIDR`);
      return { t: 'ip', lo: r.lo, hi: r.hi };
    }
    case 'mac': {
      if (ORDER_OPS.includes(op)) throw bad(`is a MAC address; ${opName} does not apply`);
      const m = normalizeMac(literalText(v));
      if (!m) throw bad(`is a MAC address; ${JSON.stringify(literalText(v))} is not`);
      return { t: 'mac', s: m };
    }
    case 'time': {
      const ns = v.kind === 'number' ? BigInt(Math.round(v.value * 1e6)) * 1000n : isoToNs(literalText(v));
      if (ns === null)
        throw bad(`is a time; ${JSON.stringify(literalText(v))} is not ISO-8601 or epoch seconds`);
      return { t: 'time', ns };
    }
  }
}

function protocolNames(catalog: Iterable<FieldDef>): Set<string> {
  // the artifact tables are protocols too (dns, http, tls, dhcp)
  const s = new Set<string>([...TRANSPORTS, ...NET_NAMES, 'dns', 'http', 'tls', 'dhcp']);
  for (const f of catalog) s.add(f.id.split('.')[0]!);
  return s;
}

class Checker {
  private readonly bindings: Map<string, Binding>;
  private readonly known: Set<string>;
  private readonly protocols: Set<string>;
  private readonly cols: Set<string>;
  constructor(
    private readonly table: TableName,
    catalog: FieldDef[],
    /** fields of the flow-row tables (dns.query_name on flows) become semi-joins */
    private readonly related = false,
  ) {
    this.bindings = tableBindings(table);
    this.known = new Set([...catalog.map((f) => f.id), ...this.bindings.keys()]);
    this.protocols = protocolNames([
      ...catalog,
      ...[...this.bindings.keys()].map((id) => ({ id }) as FieldDef),
    ]);
    this.cols = new Set(TABLES[table].columns.map((c) => c.name));
  }

  private binding(field: string, pos: number): Binding {
    const b = this.bindings.get(field);
    if (b) return b;
    if (this.known.has(field)) {
      throw new FilterError(`field ${field} is not available in table ${this.table}`, pos, {
        suggestions: nearestNames(field, this.bindings.keys()),
      });
    }
    const near = nearestNames(field, this.bindings.keys());
    throw new FilterError(`unknown field ${field}`, pos, {
      suggestions: near.length ? near : nearestNames(field, this.known),
    });
  }

  private guard(b: Binding, node: CheckedNode): CheckedNode {
    if (!b.proto) return node;
    const proto = this.bindings.get('transport')!.cols[0]!;
    return { kind: 'and', left: { kind: 'in', col: proto, values: [b.proto] }, right: node };
  }

  /**
   * A field of another table's rows that belong to flows (dns.query_name on flows): true for the rows whose
   * flow has a matching row there (on hosts: the ends of such flows). `!=` negates the whole test, as for a
   * multi-column field: `dns.query_name != x` holds for the flows with no DNS row naming x.
   */
  private relatedLeaf(n: Extract<FilterNode, { kind: 'exists' | 'compare' }>): CheckedNode | null {
    if (!this.related) return null;
    const other = flowRowTableOf(n.field);
    if (!other || other === this.table) return null;
    let outer: ColumnRef;
    const flowId = this.bindings.get('flow.id');
    if (flowId) outer = flowId.cols[0]!;
    else if (this.table === 'hosts') outer = { column: 'ip', kind: 'text', get: (r) => r.ip };
    else return null;
    const neg = n.kind === 'compare' && n.op === '!=';
    const expr = new Checker(other, []).check(neg ? { ...n, op: '==' } : n);
    const node: CheckedNode = {
      kind: 'related',
      table: other,
      field: n.field,
      outer,
      ...(this.table === 'hosts' ? { endpoints: true } : {}),
      expr,
    };
    return neg ? { kind: 'not', expr: node } : node;
  }

  /** A bare name that is not a column: a protocol test. */
  private presence(name: string, pos: number): CheckedNode {
    const lower = name.toLowerCase();
    const t = this.table;
    const colRef = (c: string) => this.bindings.get(c === 'protocol' ? 'frame.protocol' : c)!.cols[0]!;
    if (t === 'hosts') {
      throw new FilterError(`protocol test ${name} does not apply to table hosts`, pos, {
        suggestions: nearestNames(name, this.bindings.keys()),
      });
    }
    if (t === 'packets') return { kind: 'in', col: colRef('protocol'), values: [lower] };
    if (t !== 'flows' && lower === t) return { kind: 'const', value: true };
    if (lower === 'ip' || lower === 'ipv4' || lower === 'ipv6' || lower === 'eth') {
      if (!this.cols.has('ip_version')) {
        return lower === 'eth' ? { kind: 'const', value: true } : { kind: 'present', col: colRef('ip.src') };
      }
      const ver = this.bindings.get('ip.version')!.cols[0]!;
      if (lower === 'eth') return { kind: 'const', value: true };
      const n = lower === 'ipv4' ? 4 : lower === 'ipv6' ? 6 : 0;
      return n
        ? { kind: 'compare', cols: [ver], op: '==', value: { t: 'num', n } }
        : { kind: 'compare', cols: [ver], op: '>', value: { t: 'num', n: 0 } };
    }
    if (TRANSPORTS.includes(lower)) {
      return this.bindings.has('transport')
        ? { kind: 'in', col: colRef('transport'), values: [lower] }
        : { kind: 'const', value: lower === 'tcp' && (t === 'http' || t === 'tls') };
    }
    if (this.cols.has('app')) return { kind: 'in', col: colRef('app'), values: [lower] };
    return { kind: 'const', value: false };
  }

  check(n: FilterNode): CheckedNode {
    switch (n.kind) {
      case 'and':
      case 'or':
        return { kind: n.kind, left: this.check(n.left), right: this.check(n.right) };
      case 'not':
        return { kind: 'not', expr: this.check(n.expr) };
      case 'exists': {
        const b = this.bindings.get(n.field);
        if (b) {
          const any = b.cols
            .map((col): CheckedNode => ({ kind: 'present', col }))
            .reduce((l, r) => ({ kind: 'or', left: l, right: r }));
          return this.guard(b, any);
        }
        if (this.protocols.has(n.field.toLowerCase())) return this.presence(n.field, n.pos);
        return this.relatedLeaf(n) ?? (this.binding(n.field, n.pos) as never);
      }
      case 'compare': {
        if (!this.bindings.has(n.field)) {
          const rel = this.relatedLeaf(n);
          if (rel) return rel;
        }
        const b = this.binding(n.field, n.fieldPos);
        const op = n.op === '!=' ? '==' : n.op;
        const value = convert(n.field, b, op, n.value);
        const node = this.guard(b, { kind: 'compare', cols: b.cols, op, value });
        return n.op === '!=' ? { kind: 'not', expr: node } : node;
      }
    }
  }
}

export interface CheckOptions {
  /**
   * accept fields of the flow-row tables (bindings.ts FLOW_ROW_TABLES) on a table they do not belong to,
   * as semi-joins that only SQL runs (default false: such a field is unknown to the table)
   */
  related?: boolean;
}

/** Checks a parsed filter against a table and the field catalog; throws FilterError (E_FILTER). */
export function checkFilter(
  node: FilterNode,
  table: TableName,
  catalog: FieldDef[],
  source = '',
  opts: CheckOptions = {},
): CheckedFilter {
  return { table, root: new Checker(table, catalog, opts.related === true).check(node), source };
}

/**
 * parse + check in one step: what the CLI and the HTTP API call with the user's text. Fields of the
 * flow-row tables are accepted on the other tables (dns.query_name on flows: the flows with such a row).
 */
export function compileFilter(source: string, table: TableName, catalog: FieldDef[] = []): CheckedFilter {
  return checkFilter(parseFilter(source), table, catalog, source, { related: true });
}
