/**
 * A tiny rasteriser for large graphs: lines and discs written straight into an ImageData buffer, one
 * putImageData per frame. Canvas paths with tens of thousands of segments are slow to rasterise in software
 * (Chromium without a GPU manages ~5 frames a second for 10,000 edges); writing pixels directly keeps a
 * 10,000-node graph above 30. No antialiasing: used only where the graph is too dense for it to matter.
 */
export class PixelCanvas {
  readonly img: ImageData;
  private readonly px: Uint32Array;
  readonly w: number;
  readonly h: number;

  constructor(ctx: CanvasRenderingContext2D, w: number, h: number) {
    this.w = Math.max(1, Math.round(w));
    this.h = Math.max(1, Math.round(h));
    this.img = ctx.createImageData(this.w, this.h);
    this.px = new Uint32Array(this.img.data.buffer);
  }

  clear(colour: number): void {
    this.px.fill(colour);
  }

  /** A 1-pixel line, clipped to the canvas first (Liang-Barsky), then walked (Bresenham). */
  line(ax: number, ay: number, bx: number, by: number, colour: number): void {
    const w = this.w - 1;
    const h = this.h - 1;
    let t0 = 0;
    let t1 = 1;
    const dx = bx - ax;
    const dy = by - ay;
    const edges: [number, number][] = [
      [-dx, ax],
      [dx, w - ax],
      [-dy, ay],
      [dy, h - ay],
    ];
    for (const [p, q] of edges) {
      if (p === 0) {
        if (q < 0) return;
      } else {
        const r = q / p;
        if (p < 0) {
          if (r > t1) return;
          if (r > t0) t0 = r;
        } else {
          if (r < t0) return;
          if (r < t1) t1 = r;
        }
      }
    }
    let x0 = Math.round(ax + t0 * dx);
    let y0 = Math.round(ay + t0 * dy);
    const x1 = Math.round(ax + t1 * dx);
    const y1 = Math.round(ay + t1 * dy);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    const ddx = Math.abs(x1 - x0);
    const ddy = -Math.abs(y1 - y0);
    let err = ddx + ddy;
    const px = this.px;
    const stride = this.w;
    // the clipped segment is at most the canvas diagonal long
    for (let n = this.w + this.h + 2; n > 0; n--) {
      px[y0 * stride + x0] = colour;
      if (x0 === x1 && y0 === y1) return;
      const e2 = 2 * err;
      if (e2 >= ddy) {
        err += ddy;
        x0 += sx;
      }
      if (e2 <= ddx) {
        err += ddx;
        y0 += sy;
      }
    }
  }

  /** A filled disc of radius r (at least one pixel), clipped. */
  disc(cx: number, cy: number, r: number, colour: number): void {
    const x = Math.round(cx);
    const y = Math.round(cy);
    const rr = Math.max(0.5, r);
    const ri = Math.ceil(rr);
    if (x + ri < 0 || y + ri < 0 || x - ri >= this.w || y - ri >= this.h) return;
    const px = this.px;
    const r2 = rr * rr;
    for (let dy = -ri; dy <= ri; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= this.h) continue;
      const half = Math.floor(Math.sqrt(Math.max(0, r2 - dy * dy)));
      const from = Math.max(0, x - half);
      const to = Math.min(this.w - 1, x + half);
      if (to >= from) px.fill(colour, yy * this.w + from, yy * this.w + to + 1);
    }
  }

  flush(ctx: CanvasRenderingContext2D): void {
    ctx.putImageData(this.img, 0, 0);
  }
}

/** "#rrggbb" as the buffer's 32-bit pixel (bytes R, G, B, A in memory: little-endian 0xAABBGGRR). */
export function pixelOf(hex: string, alpha = 255): number {
  const v = parseInt(hex.slice(1, 7), 16);
  const r = (v >> 16) & 255;
  const g = (v >> 8) & 255;
  const b = v & 255;
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** `hex` mixed with `bg` (opacity a in 0..1), as a pixel. */
export function blendOf(hex: string, bg: string, a: number): number {
  const f = parseInt(hex.slice(1, 7), 16);
  const b = parseInt(bg.slice(1, 7), 16);
  const mix = (s: number) => Math.round(((f >> s) & 255) * a + ((b >> s) & 255) * (1 - a));
  return ((255 << 24) | (mix(0) << 16) | (mix(8) << 8) | mix(16)) >>> 0;
}
