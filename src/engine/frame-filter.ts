/**
 * A filter over frames that may test both the frame's own fields (frame.len, frame.time, frame.protocol,
 * frame.number) and the fields of the conversation it belongs to (ip.addr, tcp.port, app, flow.bytes_fwd, ...):
 * each test of the expression is checked against the flows table first, then the packets table, and the
 * whole is run in memory over one row holding both (their column names do not overlap).
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
import { TABLES } from '../shared/filter/tables.js';

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

function leafTable(leaf: FilterNode): { node: CheckedNode; table: 'flows' | 'packets' } {
  try {
    return { node: checkFilter(leaf, 'flows', []).root, table: 'flows' };
  } catch (flowErr) {
    try {
      return { node: checkFilter(leaf, 'packets', []).root, table: 'packets' };
    } catch (pktErr) {
      const field = leaf.kind === 'exists' || leaf.kind === 'compare' ? leaf.field : '';
      throw field.startsWith('frame.') ? pktErr : flowErr;
    }
  }
}

export function compileFrameFilter(source: string | null | undefined): FrameFilter {
  if (!source || !source.trim())
    return { test: () => true, needsFlows: false, packetsOnly: null, flowsOnly: null };
  const tables = new Set<string>();
  const walk = (n: FilterNode): CheckedNode => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return { kind: n.kind, left: walk(n.left), right: walk(n.right) };
      case 'not':
        return { kind: 'not', expr: walk(n.expr) };
      default: {
        const { node, table } = leafTable(n);
        tables.add(table);
        return node;
      }
    }
  };
  const root = walk(parseFilter(source));
  const pred = filterPredicate({ table: 'packets', root, source });
  const needsFlows = tables.has('flows');
  // one reused row: flow columns (null without a flow), then the frame's
  const row: Record<string, unknown> = {};
  return {
    needsFlows,
    packetsOnly: needsFlows ? null : { table: 'packets', root, source },
    flowsOnly: tables.has('packets') ? null : { table: 'flows', root, source },
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
