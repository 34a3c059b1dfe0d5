import type { Row } from '../lib/types.ts';

/** A host's peers grouped by application (or transport and server port when none was detected). */
export interface PeerLeaf {
  ip: string;
  flows: number;
  bytes: number;
  /** the host opened these sessions (client) or answered them (server) */
  role: 'client' | 'server' | 'both';
}

export interface PeerBranch {
  protocol: string;
  flows: number;
  bytes: number;
  peers: PeerLeaf[];
}

export function peerTree(ip: string, flows: readonly Row[]): PeerBranch[] {
  const branches = new Map<string, { b: PeerBranch; peers: Map<string, PeerLeaf> }>();
  for (const f of flows) {
    const src = String(f.src_ip);
    const dst = String(f.dst_ip);
    const client = src === ip;
    const peer = client ? dst : src;
    const protocol = f.app
      ? String(f.app)
      : f.dst_port !== null && f.dst_port !== undefined
        ? `${String(f.proto)}/${String(f.dst_port)}`
        : String(f.proto);
    const bytes = Number(f.bytes_fwd ?? 0) + Number(f.bytes_rev ?? 0);
    let e = branches.get(protocol);
    if (!e) {
      e = { b: { protocol, flows: 0, bytes: 0, peers: [] }, peers: new Map() };
      branches.set(protocol, e);
    }
    e.b.flows++;
    e.b.bytes += bytes;
    let leaf = e.peers.get(peer);
    if (!leaf) {
      leaf = { ip: peer, flows: 0, bytes: 0, role: client ? 'client' : 'server' };
      e.peers.set(peer, leaf);
    } else if (leaf.role !== (client ? 'client' : 'server')) leaf.role = 'both';
    leaf.flows++;
    leaf.bytes += bytes;
  }
  return [...branches.values()]
    .map(({ b, peers }) => ({ ...b, peers: [...peers.values()].sort((x, y) => y.bytes - x.bytes) }))
    .sort((x, y) => y.bytes - x.bytes || (x.protocol < y.protocol ? -1 : 1));
}
