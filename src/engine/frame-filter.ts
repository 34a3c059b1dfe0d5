/**
 * A filter over frames that may test both the frame's own fields (frame.len, frame.time, frame.protocol,
 * frame.number) and the fields of the conversation it belongs to (ip.addr, tcp.port, app, flow.bytes_fwd, ...):
 * each test of the expression is checked against the flows table first, then the packets table, and the
 * whole is run in memory over one row holding both (their column names do not overlap).
 *
 * A test that neither table knows but an application table does (dns.query_name, http.host, tls.server_name,
 * alerts.rule, ...) or the hosts table does (host.country, ...) selects whole conversations: the frames of the
 * flows that have a matching row (application tables, by flow_id) or that touch a matching host (either
 * address). Such a "session test" needs a store to look the rows up: `sessionTests()` lists them, the caller
 * resolves each to a set (resolveSessionTests) and hands the sets to compileFrameFilter.
 */
import type { CheckedNode } from '../shared/filter/ast.js';
import {
  checkFilter,
  filterPredicate,
  parseFilter,
  type CheckedFilter,
  type FilterNode,
} from '../shared/filter/index.js';
import type { PacketIndexInput } from '../shared/store-rows.js';
import type { FlowRow } from '../shared/rows.js';
import { PcaplensError } from '../shared/errors.js';
import { TABLES, type TableName } from '../shared/filter/tables.js';
import { FLOW_ROW_TABLES } from '../shared/filter/bindings.js';

/** the flow row's own columns (derived ones are computed from these by the predicate) */
const FLOW_COLUMNS = TABLES.flows.columns.filter((c) => !c.derive).map((c) => c.name as keyof FlowRow);

export interface FrameFilter {
  /** true for the frames to keep */
  test(pkt: PacketIndexInput, flow: FlowRow | null): boolean;
  /** some test reads the conversation (the flow rows must be at hand) */
  needsFlows: boolean;
  /** every test is a frame field: the filter as checked against the packets table, for the store to run */
  packetsOnly: CheckedFilter | null;
  /** every test is a conversation field: the filter as checked against the flows table, for the store to run */
  flowsOnly: CheckedFilter | null;
}

/** Tables whose rows a session test reads, in the order a field is looked up. */
export const SESSION_TABLES = [...FLOW_ROW_TABLES, 'alerts', 'hosts'] as const satisfies readonly TableName[];
export type SessionTable = (typeof SESSION_TABLES)[number];

/** A test of the expression that selects whole conversations through the rows of another table. */
export interface SessionTest {
  /** position among the expression's tests, left to right */
  index: number;
  table: SessionTable;
  /** the test alone, checked against `table` */
  filter: CheckedFilter;
}

/**
 * What a session test was resolved to: the flow ids with a matching row (application tables) or the
 * addresses of the matching hosts (hosts table).
 */
export type SessionSet = { flowIds: ReadonlySet<number> } | { addresses: ReadonlySet<string> };

type Leaf =
  | { node: CheckedNode; table: 'flows' | 'packets' }
  | { node: null; table: SessionTable; filter: CheckedFilter };

function leafTable(leaf: FilterNode, source: string): Leaf {
  try {
    return { node: checkFilter(leaf, 'flows', []).root, table: 'flows' };
  } catch (flowErr) {
    try {
      return { node: checkFilter(leaf, 'packets', []).root, table: 'packets' };
    } catch (pktErr) {
      for (const table of SESSION_TABLES) {
        try {
          return { node: null, table, filter: checkFilter(leaf, table, [], source) };
        } catch {
          // not a field of this table either
        }
      }
      const field = leaf.kind === 'exists' || leaf.kind === 'compare' ? leaf.field : '';
      throw field.startsWith('frame.') ? pktErr : flowErr;
    }
  }
}

function walkLeaves(n: FilterNode, visit: (leaf: FilterNode) => CheckedNode): CheckedNode {
  switch (n.kind) {
    case 'and':
    case 'or':
      return { kind: n.kind, left: walkLeaves(n.left, visit), right: walkLeaves(n.right, visit) };
    case 'not':
      return { kind: 'not', expr: walkLeaves(n.expr, visit) };
    default:
      return visit(n);
  }
}

/** The session tests of an expression (empty when every test is a frame or conversation field). */
export function sessionTests(source: string | null | undefined): SessionTest[] {
  if (!source || !source.trim()) return [];
  const out: SessionTest[] = [];
  let index = 0;
  walkLeaves(parseFilter(source), (n) => {
    const leaf = leafTable(n, source);
    if (leaf.node === null) out.push({ index, table: leaf.table, filter: leaf.filter });
    index++;
    return { kind: 'const', value: true };
  });
  return out;
}

/** A session test as a test of the flow row (the reused row holds the flow's columns). */
function sessionNode(set: SessionSet): CheckedNode {
  const get =
    'flowIds' in set
      ? (r: Record<string, unknown>) => typeof r.id === 'number' && set.flowIds.has(r.id)
      : (r: Record<string, unknown>) =>
          (typeof r.src_ip === 'string' && set.addresses.has(r.src_ip)) ||
          (typeof r.dst_ip === 'string' && set.addresses.has(r.dst_ip));
  return { kind: 'present', col: { column: 'id', kind: 'bool', get } };
}

/**
 * Compiles the expression. Session tests need their sets (by SessionTest.index); `'check'` only validates
 * them (the filter it returns selects nothing through them and must not be run); without either, an
 * expression with a session test is an E_FILTER error that says where such a filter works.
 */
export function compileFrameFilter(
  source: string | null | undefined,
  sessionSets?: ReadonlyMap<number, SessionSet> | 'check',
): FrameFilter {
  if (!source || !source.trim())
    return { test: () => true, needsFlows: false, packetsOnly: null, flowsOnly: null };
  const tables = new Set<string>();
  let index = 0;
  const root = walkLeaves(parseFilter(source), (n) => {
    const leaf = leafTable(n, source);
    const k = index++;
    if (leaf.node !== null) {
      tables.add(leaf.table);
      return leaf.node;
    }
    tables.add('flows');
    tables.add('sessions');
    if (sessionSets === 'check') return { kind: 'const', value: false };
    const set = sessionSets?.get(k);
    if (!set) {
      const field = n.kind === 'exists' || n.kind === 'compare' ? n.field : leaf.table;
      throw new PcaplensError(
        'E_FILTER',
        `${field} is a field of the ${leaf.table} table, not of frames or sessions: it selects the sessions ` +
          `with a matching ${leaf.table} row, which only a stored capture can look up (import it first)`,
      );
    }
    return sessionNode(set);
  });
  const pred = filterPredicate({ table: 'packets', root, source });
  const needsFlows = tables.has('flows');
  // one reused row: flow columns (null without a flow), then the frame's
  const row: Record<string, unknown> = {};
  return {
    needsFlows,
    packetsOnly: needsFlows ? null : { table: 'packets', root, source },
    // a session test is an in-memory set: the store cannot run it
    flowsOnly: tables.has('packets') || tables.has('sessions') ? null : { table: 'flows', root, source },
    test(pkt, flow) {
      if (needsFlows) {
        for (const c of FLOW_COLUMNS) row[c] = flow ? flow[c] : null;
      }
      row.n = pkt.n;
      row.ts = pkt.ts;
      row.file_index = pkt.file_index;
      row.file_offset = pkt.file_offset;
      row.caplen = pkt.caplen;
      row.len = pkt.len;
      row.flow_id = pkt.flow_id;
      row.protocol = pkt.protocol;
      return pred(row);
    },
  };
}
