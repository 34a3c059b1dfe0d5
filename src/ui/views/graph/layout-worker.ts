/// <reference lib="webworker" />
import { makeLayout, type LayoutInput } from './layout.ts';

/**
 * Lays out a large graph off the main thread: positions are posted every few ticks (the page redraws them)
 * and once more at the end with done = true.
 */
self.onmessage = (ev: MessageEvent<LayoutInput>) => {
  const layout = makeLayout(ev.data);
  const n = ev.data.radius.length;
  const t0 = performance.now();
  let more = true;
  while (more) {
    more = layout.tick(10);
    const pos = new Float32Array(2 * n);
    layout.positions(pos);
    (self as unknown as Worker).postMessage(
      { positions: pos, done: !more, ticks: layout.ticks, ms: performance.now() - t0 },
      [pos.buffer],
    );
  }
};
