/**
 * Packet detail: the decoded layers of one frame as a tree of named fields with their byte ranges. Built off
 * the hot path (one frame at a time, for display), so it may allocate freely; it still never throws on bad
 * bytes and never reads past the frame: a short header becomes a layer with a `problem`.
 */
export interface FieldNode {
  /** display name ("Source port") */
  name: string;
  /** filter field id where one exists (tcp.srcport) */
  id?: string;
  /** value as text */
  value: string;
  /** byte offset within the frame, and length (0 for a value computed from other bytes) */
  offset: number;
  length: number;
  children?: FieldNode[];
}

export interface LayerNode {
  /** protocol id (eth, ipv4, tcp, dns, data, ...) */
  protocol: string;
  /** display name with a one-line summary ("Transmission Control Protocol, 80 → 51234, [SYN, ACK]") */
  name: string;
  offset: number;
  length: number;
  fields: FieldNode[];
  /** set when the header is cut short or contradicts itself */
  problem?: string;
}

/** What a describer decides comes next: a table to dispatch on and the payload's range. */
export type Next =
  | { table: 'ethertype' | 'ip.proto' | 'link' | 'ip' | 'ppp'; value: number; off: number; end: number }
  | { table: 'udp' | 'tcp'; src: number; dst: number; off: number; end: number }
  | null;

export interface Described {
  layer: LayerNode;
  next: Next;
}

/** One protocol's describer: reads a header at b[off, end); `base` is the frame's first byte in b. */
export type Describer = (b: Uint8Array, off: number, end: number, base: number) => Described;

/** Collects the fields of one layer with frame-relative offsets. */
export class LayerBuilder {
  readonly layer: LayerNode;
  constructor(
    protocol: string,
    name: string,
    private readonly base: number,
    off: number,
    end: number,
  ) {
    this.layer = { protocol, name, offset: off - base, length: Math.max(0, end - off), fields: [] };
  }

  field(name: string, id: string | undefined, value: string | number, off: number, len: number): FieldNode {
    const f: FieldNode = { name, value: String(value), offset: off - this.base, length: len };
    if (id) f.id = id;
    this.layer.fields.push(f);
    return f;
  }

  /** A field nested under `parent` (flag bits, options). */
  child(
    parent: FieldNode,
    name: string,
    id: string | undefined,
    value: string | number,
    off: number,
    len: number,
  ): FieldNode {
    const f: FieldNode = { name, value: String(value), offset: off - this.base, length: len };
    if (id) f.id = id;
    (parent.children ??= []).push(f);
    return f;
  }

  /** Ends the layer at `end` (its header length) and marks it cut short when `problem` is given. */
  done(next: Next, end?: number, problem?: string): Described {
    if (end !== undefined) this.layer.length = Math.max(0, end - this.base - this.layer.offset);
    if (problem) this.layer.problem = problem;
    return { layer: this.layer, next };
  }
}

export const hex2 = (v: number, digits = 4) => '0x' + v.toString(16).padStart(digits, '0');
