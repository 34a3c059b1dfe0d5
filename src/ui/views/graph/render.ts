import * as d3 from 'd3';
import { makeLayout } from './layout.ts';
import { PixelCanvas, blendOf, pixelOf } from './pixels.ts';
import type { Graph, GraphNode } from '../../lib/types.ts';
import { edgeStyle, nodeColour } from './style.ts';
import { placeLabels, type LabelBox } from './labels.ts';

/**
 * The network graph on a canvas: d3-force layout, node area by traffic, edge width by bytes, zoom and pan with
 * the wheel and background drag, nodes dragged individually, a click selects (or expands a group). Once the
 * layout settles the view zooms to fit. Drawing is batched (one path per colour and width class) and at most
 * once per animation frame, so ten thousand nodes still pan smoothly. Canvas text is drawn as text (no markup
 * is ever interpreted).
 */
interface SimNode extends GraphNode {
  r: number;
  x: number;
  y: number;
  /** pixel colours for the pixel renderer: normal, and faded by a search */
  px: number;
  faded: number;
}
interface SimLink {
  source: SimNode;
  target: SimNode;
  bytes: number;
  w: number;
  colour: string;
  px: number;
}

export interface GraphRenderer {
  setSearch(text: string): void;
  resize(width: number, height: number): void;
  /** zooms so every node is in view */
  fit(): void;
  destroy(): void;
}

export interface GraphRenderOptions {
  width: number;
  height: number;
  onclick?: (n: GraphNode) => void;
}

/** Graphs larger than this are laid out in a worker. */
const LAYOUT_IN_PAGE = 600;
/** Graphs larger than this are drawn pixel by pixel (see pixels.ts). */
const PIXEL_NODES = 2000;
const BG = '#fcfdff';
const LABELS_ALWAYS = 30;
const LABELS_MAX = 300;

export function renderGraph(canvas: HTMLCanvasElement, g: Graph, o: GraphRenderOptions): GraphRenderer {
  let width = o.width;
  let height = o.height;
  const pixelMode = g.nodes.length > PIXEL_NODES;
  // the pixel renderer works in CSS pixels: its cost stays that of the canvas size on any screen
  const dpr = pixelMode ? 1 : window.devicePixelRatio || 1;
  let pixels: PixelCanvas | null = null;
  const ctx = canvas.getContext('2d', { alpha: false })!;
  const maxBytes = Math.max(1, ...g.nodes.map((n) => n.bytes));
  const maxEdge = Math.max(1, ...g.edges.map((e) => e.bytes));
  const big = g.nodes.length > 2000;
  const nodes: SimNode[] = g.nodes.map((n, i) => ({
    ...n,
    r: (big ? 2 : 3) + Math.sqrt(n.bytes / maxBytes) * (big ? 14 : 20),
    // d3-force's starting spiral, so the first frame is already spread out
    x: width / 2 + 10 * Math.sqrt(0.5 + i) * Math.cos(i * Math.PI * (3 - Math.sqrt(5))),
    y: height / 2 + 10 * Math.sqrt(0.5 + i) * Math.sin(i * Math.PI * (3 - Math.sqrt(5))),
    px: 0,
    faded: 0,
  }));
  for (const n of nodes) {
    n.px = pixelOf(nodeColour(n));
    n.faded = blendOf(nodeColour(n), BG, 0.15);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const links: SimLink[] = g.edges
    .filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target)
    .map((e) => ({
      source: byId.get(e.source)!,
      target: byId.get(e.target)!,
      bytes: e.bytes,
      w: 0.5 + (4 * Math.log1p(e.bytes)) / Math.log1p(maxEdge),
      colour: edgeStyle(e.classes ?? []).colour,
      px: blendOf(edgeStyle(e.classes ?? []).colour, BG, 0.6),
    }));
  // draw order: heaviest first for labels; fills grouped by colour
  const ranked = [...nodes].sort((a, b) => b.bytes - a.bytes);
  const colourOf = new Map(nodes.map((n) => [n, nodeColour(n)]));
  const fills = new Map<string, SimNode[]>();
  for (const n of nodes) {
    const c = colourOf.get(n)!;
    (fills.get(c) ?? fills.set(c, []).get(c)!).push(n);
  }
  const strokes = new Map<string, SimLink[]>();
  for (const l of links) {
    const key = `${l.colour}|${Math.round(l.w)}`;
    (strokes.get(key) ?? strokes.set(key, []).get(key)!).push(l);
  }
  let transform = d3.zoomIdentity;
  let userMoved = false;
  let search = '';
  let hover: SimNode | null = null;
  let frame = 0;
  let draws = 0;
  let drawMs = 0;
  let ticks = 0;
  let alive = true;

  canvas.dataset.nodes = String(nodes.length);
  canvas.dataset.edges = String(links.length);
  delete canvas.dataset.settled;

  function size() {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    pixels = pixelMode ? new PixelCanvas(ctx, width, height) : null;
  }
  size();

  const matches = (n: SimNode) => !search || n.id.toLowerCase().includes(search);

  const RING = pixelOf('#c8324a');
  const HOVER = pixelOf('#111111');
  const BG_PX = pixelOf(BG);

  function drawPixels(pc: PixelCanvas) {
    const { k, x: tx, y: ty } = transform;
    pc.clear(BG_PX);
    for (const l of links)
      pc.line(l.source.x * k + tx, l.source.y * k + ty, l.target.x * k + tx, l.target.y * k + ty, l.px);
    for (const n of nodes) {
      const sx = n.x * k + tx;
      const sy = n.y * k + ty;
      const sr = Math.max(1, n.r * k);
      if (n === hover || (search && matches(n))) pc.disc(sx, sy, sr + 2, HOVER);
      else if (n.alerts) pc.disc(sx, sy, sr + 2, RING);
      pc.disc(sx, sy, sr, search && !matches(n) ? n.faded : n.px);
    }
    pc.flush(ctx);
  }

  function draw() {
    const t0 = performance.now();
    if (pixels) {
      drawPixels(pixels);
      drawLabels();
      draws++;
      drawMs += performance.now() - t0;
      canvas.dataset.draws = String(draws);
      canvas.dataset.drawMs = (drawMs / draws).toFixed(2);
      return;
    }
    const k = transform.k;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = BG;
    ctx.fillRect(0, 0, width, height);
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * transform.x, dpr * transform.y);
    // edges: one path per colour and width class
    ctx.globalAlpha = search ? 0.25 : 0.75;
    for (const [key, list] of strokes) {
      const [colour, w] = key.split('|') as [string, string];
      ctx.strokeStyle = colour;
      ctx.lineWidth = Math.max(0.5, Number(w)) / Math.sqrt(k);
      ctx.beginPath();
      for (const l of list) {
        const s = l.source;
        const t = l.target;
        ctx.moveTo(s.x, s.y);
        ctx.lineTo(t.x, t.y);
      }
      ctx.stroke();
    }
    // nodes: one path per colour; a node smaller than a pixel on screen is a square
    for (const [colour, list] of fills) {
      ctx.fillStyle = colour;
      ctx.globalAlpha = 1;
      ctx.beginPath();
      for (const n of list) {
        if (search && !matches(n)) continue;
        if (n.r * k < 1.5) ctx.rect(n.x - n.r, n.y - n.r, 2 * n.r, 2 * n.r);
        else {
          ctx.moveTo(n.x + n.r, n.y);
          ctx.arc(n.x, n.y, n.r, 0, 2 * Math.PI);
        }
      }
      ctx.fill();
      if (search) {
        ctx.globalAlpha = 0.15;
        ctx.beginPath();
        for (const n of list) if (!matches(n)) ctx.rect(n.x - n.r, n.y - n.r, 2 * n.r, 2 * n.r);
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
    // rings: alerted hosts in red, groups dashed, the hovered/searched node in black
    ctx.lineWidth = 2 / k;
    ctx.strokeStyle = '#c8324a';
    ctx.beginPath();
    for (const n of nodes) {
      if (!n.alerts) continue;
      ctx.moveTo(n.x + n.r + 2 / k, n.y);
      ctx.arc(n.x, n.y, n.r + 2 / k, 0, 2 * Math.PI);
    }
    ctx.stroke();
    ctx.strokeStyle = '#111';
    ctx.beginPath();
    for (const n of nodes) {
      if (n !== hover && !(search && matches(n))) continue;
      ctx.moveTo(n.x + n.r, n.y);
      ctx.arc(n.x, n.y, n.r, 0, 2 * Math.PI);
    }
    ctx.stroke();
    drawLabels();
    draws++;
    drawMs += performance.now() - t0;
    canvas.dataset.draws = String(draws);
    canvas.dataset.drawMs = (drawMs / draws).toFixed(2);
  }

  /** Labels in screen pixels, readable at any zoom: a halo, no overlap, the busiest nodes first. */
  function drawLabels() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = '12px system-ui, sans-serif';
    ctx.lineJoin = 'round';
    const want: SimNode[] = [];
    if (hover) want.push(hover);
    // while the view moves, only the busiest nodes are labelled; the rest once it rests
    const cap = moving ? LABELS_ALWAYS : LABELS_MAX;
    for (const n of ranked) {
      if (want.length >= cap) break;
      if (n === hover) continue;
      const sx = transform.applyX(n.x);
      const sy = transform.applyY(n.y);
      if (sx < -50 || sy < -20 || sx > width + 50 || sy > height + 20) continue;
      const visible = search ? matches(n) : want.length < LABELS_ALWAYS || n.r * transform.k >= 6;
      if (visible) want.push(n);
    }
    const boxes: LabelBox[] = want.map((n) => {
      const text = n.group ? `${n.addr} (${n.group.members})` : n.id;
      let w = textWidth.get(n);
      if (w === undefined) textWidth.set(n, (w = ctx.measureText(text).width));
      return {
        text,
        x: transform.applyX(n.x) + n.r * transform.k + 3,
        y: transform.applyY(n.y) + 4,
        w,
        h: 13,
      };
    });
    for (const b of placeLabels(boxes, width, height)) {
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(252,253,255,0.9)';
      ctx.strokeText(b.text, b.x, b.y);
      ctx.fillStyle = '#1d2330';
      ctx.fillText(b.text, b.x, b.y);
    }
  }

  const textWidth = new WeakMap<SimNode, number>();
  let moving = false;
  let restTimer: ReturnType<typeof setTimeout> | undefined;
  /** marks the view as moving; a full redraw (all labels) follows once it has rested a moment */
  function moved() {
    moving = true;
    clearTimeout(restTimer);
    restTimer = setTimeout(() => {
      moving = false;
      schedule();
    }, 150);
  }

  function schedule() {
    if (!frame && alive) frame = requestAnimationFrame(onFrame);
  }

  function onFrame() {
    frame = 0;
    draw();
  }

  let worker: Worker | null = null;
  function settle() {
    if (!userMoved) fitNow();
    canvas.dataset.settled = '1';
    canvas.dataset.ticks = String(ticks);
    canvas.dataset.layoutMs = layoutMs.toFixed(0);
  }
  let layoutMs = 0;

  function apply(pos: Float32Array) {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (n === dragged) continue;
      n.x = pos[2 * i]!;
      n.y = pos[2 * i + 1]!;
    }
  }

  function layout() {
    const radius = Float32Array.from(nodes, (n) => n.r);
    const index = new Map(nodes.map((n, i) => [n, i]));
    const pairs = new Uint32Array(links.length * 2);
    links.forEach((l, i) => {
      pairs[2 * i] = index.get(l.source)!;
      pairs[2 * i + 1] = index.get(l.target)!;
    });
    const input = { radius, links: pairs, width, height };
    if (nodes.length <= LAYOUT_IN_PAGE) {
      const t0 = performance.now();
      const l = makeLayout(input);
      while (l.tick(50));
      const pos = new Float32Array(2 * nodes.length);
      l.positions(pos);
      apply(pos);
      ticks = l.ticks;
      layoutMs = performance.now() - t0;
      settle();
      return;
    }
    worker = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (
      ev: MessageEvent<{ positions: Float32Array; done: boolean; ticks: number; ms: number }>,
    ) => {
      if (!alive) return;
      apply(ev.data.positions);
      ticks = ev.data.ticks;
      layoutMs = ev.data.ms;
      if (ev.data.done) {
        worker?.terminate();
        worker = null;
        settle();
      } else if (!userMoved) fitNow();
      schedule();
    };
    worker.postMessage(input, [radius.buffer, pairs.buffer]);
  }

  function fitNow() {
    if (nodes.length === 0) return;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const n of nodes) {
      x0 = Math.min(x0, n.x - n.r);
      y0 = Math.min(y0, n.y - n.r);
      x1 = Math.max(x1, n.x + n.r);
      y1 = Math.max(y1, n.y + n.r);
    }
    // room on the right for the labels of the outermost nodes
    const pad = 30;
    const k = Math.min(
      2,
      (width - 2 * pad - 90) / Math.max(1, x1 - x0),
      (height - 2 * pad) / Math.max(1, y1 - y0),
    );
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    transform = d3.zoomIdentity.translate(width / 2 - 45 - k * cx, height / 2 - k * cy).scale(k);
    // keep d3-zoom's state in step, without counting it as the user's move
    programmatic = true;
    sel.call(zoom.transform, transform);
    programmatic = false;
  }

  function nodeAt(px: number, py: number): SimNode | null {
    const [x, y] = transform.invert([px, py]);
    let best: SimNode | null = null;
    let bestD = Infinity;
    for (const n of nodes) {
      const d = Math.hypot(n.x - x, n.y - y);
      if (d <= n.r + 3 / transform.k && d < bestD) {
        best = n;
        bestD = d;
      }
    }
    return best;
  }

  let programmatic = false;
  let dragged: SimNode | null = null;
  const sel = d3.select(canvas);
  const drag = d3
    .drag<HTMLCanvasElement, unknown, SimNode | undefined>()
    .subject((ev) => nodeAt(ev.x, ev.y) ?? undefined)
    .on('start', (ev) => {
      userMoved = true;
      dragged = ev.subject as SimNode;
    })
    .on('drag', (ev) => {
      const n = ev.subject as SimNode;
      const [x, y] = transform.invert([ev.x, ev.y]);
      n.x = x;
      n.y = y;
      schedule();
    })
    .on('end', () => {
      dragged = null;
    });
  const zoom = d3
    .zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([0.01, 40])
    .on('zoom', (ev: d3.D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      if (!programmatic) {
        userMoved = true;
        moved();
      }
      transform = ev.transform;
      schedule();
    });
  sel.call(drag).call(zoom);
  sel.on('dblclick.zoom', null);
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
        ? `${n.group ? `${n.addr}: ${n.group.members} hosts (click to expand)` : n.id}\n${n.bytes} bytes, ${n.packets} packets, ${n.flows} flows, ${n.peers} peers` +
          (n.alerts ? `\n${n.alerts} alerts` : '') +
          (n.tags?.length ? `\ntags: ${n.tags.join(', ')}` : '')
        : '';
      schedule();
    }
  });

  // small graphs are laid out at once and shown fitted; large ones settle in a worker, drawn as they move
  layout();
  schedule();

  return {
    setSearch(text: string) {
      search = text.trim().toLowerCase();
      canvas.dataset.matches = String(search ? nodes.filter(matches).length : nodes.length);
      schedule();
    },
    resize(w: number, h: number) {
      width = w;
      height = h;
      size();
      if (!userMoved) fitNow();
      schedule();
    },
    fit() {
      fitNow();
      schedule();
    },
    destroy() {
      alive = false;
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(restTimer);
      worker?.terminate();
      sel.on('.zoom', null).on('.drag', null).on('click.select', null).on('mousemove.hover', null);
    },
  };
}
