/** The packet detail the API returns (engine/packet-detail.ts). */
export interface FieldNode {
  name: string;
  id?: string;
  value: string;
  offset: number;
  length: number;
  children?: FieldNode[];
}

export interface LayerNode {
  protocol: string;
  name: string;
  offset: number;
  length: number;
  fields: FieldNode[];
  problem?: string;
}

export interface PacketDetail {
  n: number;
  ts: string;
  caplen: number;
  len: number;
  link_type: number;
  link_type_name: string;
  flow_id: number | null;
  protocol: string | null;
  comment: string | null;
  layers: LayerNode[];
  bytes: string;
}

export interface StreamChunk {
  direction: 'fwd' | 'rev';
  packet: number;
  ts: string;
  gap: number;
  length: number;
  data: string;
  truncated?: boolean;
}

export interface Stream {
  flow_id: number;
  direction: string;
  bytes: number;
  truncated: boolean;
  chunks: StreamChunk[];
}
