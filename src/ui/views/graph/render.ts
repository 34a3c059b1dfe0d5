import * as d3 from 'd3';
import type { Graph, GraphNode } from '../../lib/types.ts';
import { colourOf } from '../palette.ts';

/**
 * The network graph on a canvas: d3-force layout, node area by traffic, edge width by bytes, zoom and pan
 * with the wheel and background drag, nodes dragged individually, a click selects. Canvas text is drawn
 * as text (no markup is ever interpreted).
 */
interface SimNode extends d3.SimulationNodeDatum, GraphNode {
  r: number;
}
interface SimLink extends d3.SimulationLinkDatum<SimNode> {
  bytes: number;
  w: number;
}

export interface GraphRenderer {
  setSearch(text: string): void;
  resize(width: number, height: number): void;
  destroy(): void;
}

export interface GraphRenderOptions {
  width: number;
  height: number;
  onclick?: (n: GraphNode) => void;
}

function nodeColour(n: GraphNode): string {
  if (n.port !== null || n.proto !== null) return colourOf(n.proto);
  if (n.addr.includes(':') && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(n.addr)) return '#7b52b8';
  if (/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|fe80:|fd|fc)/i.test(n.addr)) return '#2462c9';
  return '#e07b00';
}

export function renderGraph(canvas: HTMLCanvasElement, g: Graph, o: GraphRenderOptions): GraphRenderer {
  let width = o.width;
  let height = o.height;
  const dpr = window.devicePixelRatio || 1;
  const ctx = canvas.getContext('2d')!;
  const maxBytes = Math.max(1, ...g.nodes.map((n) => n.bytes));
  const maxEdge = Math.max(1, ...g.edges.map((e) => e.bytes));
  const nodes: SimNode[] = g.nodes.map((n) => ({ ...n, r: 3 + Math.sqrt(n.bytes / maxBytes) * 20 }));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const links: SimLink[] = g.edges
    .filter((e) => byId.has(e.source) && byId.has(e.target))
    .map((e) => ({
      source: byId.get(e.source)!,
      target: byId.get(e.target)!,
      bytes: e.bytes,
      w: 0.5 + (4 * Math.log1p(e.bytes)) / Math.log1p(maxEdge),
    }));
  const labelled = new Set(
    [...nodes]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 25)
      .map((n) => n.id),
  );
  let transform = d3.zoomIdentity;
  let search = '';
  let hover: SimNode | null = null;

  canvas.dataset.nodes = String(nodes.length);
  canvas.dataset.edges = String(links.length);

  function size() {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  size();

  const matches = (n: SimNode) => !search || n.id.toLowerCase().includes(search);

  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.translate(transform.x, transform.y);
    ctx.scale(transform.k, transform.k);
    ctx.strokeStyle = 'rgba(90,100,120,0.35)';
    for (const l of links) {
      const s = l.source as SimNode;
      const t = l.target as SimNode;
      ctx.lineWidth = l.w / Math.sqrt(transform.k);
      ctx.globalAlpha = search && !(matches(s) || matches(t)) ? 0.15 : 1;
      ctx.beginPath();
      ctx.moveTo(s.x!, s.y!);
      ctx.lineTo(t.x!, t.y!);
      ctx.stroke();
    }
    for (const n of nodes) {
      ctx.globalAlpha = matches(n) ? 1 : 0.15;
      ctx.fillStyle = nodeColour(n);
      ctx.beginPath();
      ctx.arc(n.x!, n.y!, n.r, 0, 2 * Math.PI);
      ctx.fill();
      if (n === hover || (search && matches(n))) {
        ctx.lineWidth = 2 / transform.k;
        ctx.strokeStyle = '#111';
        ctx.stroke();
        ctx.strokeStyle = 'rgba(90,100,120,0.35)';
      }
    }
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#1d2330';
    ctx.font = `${11 / transform.k}px system-ui, sans-serif`;
    for (const n of nodes) {
      if (n === hover || labelled.has(n.id) || transform.k > 2 || (search && matches(n))) {
        ctx.fillText(n.id, n.x! + n.r + 2, n.y! + 3);
      }
    }
  }

  const sim = d3
    .forceSimulation(nodes)
    .force(
      'link',
      d3
        .forceLink<SimNode, SimLink>(links)
        .distance((l) => 30 + (l.source as SimNode).r + (l.target as SimNode).r),
    )
    .force('charge', d3.forceManyBody().strength(nodes.length > 500 ? -30 : -140))
    .force('x', d3.forceX(width / 2).strength(0.05))
    .force('y', d3.forceY(height / 2).strength(0.05))
    .force(
      'collide',
      d3.forceCollide<SimNode>((n) => n.r + 1.5),
    )
    .on('tick', draw);
  if (nodes.length > 1500) sim.alphaDecay(0.05);

  function nodeAt(px: number, py: number): SimNode | null {
    const [x, y] = transform.invert([px, py]);
    let best: SimNode | null = null;
    let bestD = Infinity;
    for (const n of nodes) {
      const d = Math.hypot(n.x! - x, n.y! - y);
      if (d <= n.r + 3 / transform.k && d < bestD) {
        best = n;
        bestD = d;
      }
    }
    return best;
  }

  const sel = d3.select(canvas);
  const drag = d3
    .drag<HTMLCanvasElement, unknown, SimNode | undefined>()
    .subject((ev) => nodeAt(ev.x, ev.y) ?? undefined)
    .on('start', (ev) => {
      if (!ev.active) sim.alphaTarget(0.2).restart();
      const n = ev.subject as SimNode;
      n.fx = n.x;
      n.fy = n.y;
    })
    .on('drag', (ev) => {
      const n = ev.subject as SimNode;
      const [x, y] = transform.invert([ev.x, ev.y]);
      n.fx = x;
      n.fy = y;
    })
    .on('end', (ev) => {
      if (!ev.active) sim.alphaTarget(0);
      const n = ev.subject as SimNode;
      n.fx = null;
      n.fy = null;
    });
  const zoom = d3
    .zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([0.05, 20])
    .on('zoom', (ev: d3.D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      transform = ev.transform;
      draw();
    });
  sel.call(drag).call(zoom);
  sel.on('click.select', (ev: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    const n = nodeAt(ev.clientX - r.left, ev.clientY - r.top);
    if (n && o.onclick) o.onclick(n);
  });
  sel.on('mousemove.hover', (ev: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    const n = nodeAt(ev.clientX - r.left, ev.clientY - r.top);
    if (n !== hover) {
      hover = n;
      canvas.style.cursor = n ? 'pointer' : 'grab';
      canvas.title = n
        ? `${n.id}\n${n.bytes} bytes, ${n.packets} packets, ${n.flows} flows, ${n.peers} peers`
        : '';
      draw();
    }
  });

  return {
    setSearch(text: string) {
      search = text.trim().toLowerCase();
      canvas.dataset.matches = String(search ? nodes.filter(matches).length : nodes.length);
      draw();
    },
    resize(w: number, h: number) {
      width = w;
      height = h;
      size();
      sim.force('x', d3.forceX(width / 2).strength(0.05)).force('y', d3.forceY(height / 2).strength(0.05));
      draw();
    },
    destroy() {
      sim.stop();
      sel.on('.zoom', null).on('.drag', null).on('click.select', null).on('mousemove.hover', null);
    },
  };
}
