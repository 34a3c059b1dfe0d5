/** SVG -> PNG with resvg (prebuilt native binary shipped in the npm package; no system fonts required). */
import { Resvg } from '@resvg/resvg-js';
import { PcaplensError } from '../../shared/errors.js';

export interface PngOptions {
  /** output width in pixels (height keeps the aspect ratio); default: the SVG's own size */
  width?: number;
  /** cap on either side, so a huge layout cannot allocate gigabytes (default 16384) */
  maxSide?: number;
}

export interface Png {
  data: Buffer;
  width: number;
  height: number;
}

export function svgToPng(svg: string, opts: PngOptions = {}): Png {
  const maxSide = opts.maxSide ?? 16384;
  let r: Resvg;
  try {
    r = new Resvg(svg, {
      background: '#ffffff',
      fitTo: opts.width ? { mode: 'width', value: opts.width } : { mode: 'original' },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    });
  } catch (e) {
    throw new PcaplensError('E_LIMIT', `could not read the SVG to rasterise it: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const w = opts.width ?? r.width;
  const h = opts.width ? (r.height * opts.width) / r.width : r.height;
  if (w > maxSide || h > maxSide) {
    // Re-render scaled down to fit the cap instead of failing.
    const scale = maxSide / Math.max(w, h);
    r = new Resvg(svg, {
      background: '#ffffff',
      fitTo: { mode: 'width', value: Math.max(1, Math.floor(r.width * scale)) },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    });
  }
  const img = r.render();
  return { data: img.asPng(), width: img.width, height: img.height };
}
