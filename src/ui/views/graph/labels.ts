/** A label's text and box in screen pixels (x, y: baseline start). */
export interface LabelBox {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Greedy placement: labels in priority order, each kept only if its box overlaps none kept before and lies
 * on the canvas. A coarse grid of buckets keeps this linear for hundreds of labels.
 */
export function placeLabels(boxes: readonly LabelBox[], width: number, height: number): LabelBox[] {
  const cell = 64;
  const grid = new Map<number, LabelBox[]>();
  const kept: LabelBox[] = [];
  const cellsOf = (b: LabelBox): number[] => {
    const out: number[] = [];
    for (let cx = Math.floor(b.x / cell); cx <= Math.floor((b.x + b.w) / cell); cx++)
      for (let cy = Math.floor((b.y - b.h) / cell); cy <= Math.floor(b.y / cell); cy++)
        out.push(cx * 100003 + cy);
    return out;
  };
  const overlaps = (a: LabelBox, b: LabelBox) =>
    a.x < b.x + b.w + 2 && b.x < a.x + a.w + 2 && a.y - a.h < b.y && b.y - b.h < a.y;
  for (const b of boxes) {
    if (b.x < 0 || b.y - b.h < 0 || b.x + b.w > width || b.y > height) continue;
    const cells = cellsOf(b);
    if (cells.some((c) => grid.get(c)?.some((o) => overlaps(o, b)))) continue;
    kept.push(b);
    for (const c of cells) (grid.get(c) ?? grid.set(c, []).get(c)!).push(b);
  }
  return kept;
}
