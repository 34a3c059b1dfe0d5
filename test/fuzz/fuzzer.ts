/**
 * The fuzz driver: mutates seed captures deterministically (seed + input number), runs each input in a worker
 * thread with a time limit and a memory bound, and keeps one minimised example of each distinct failure under
 * the regressions folder (replayed by regressions.test.ts).
 *
 *   const report = await fuzz({ seconds: 40, seed: 1 });
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CONFIGS, type Config } from './run-input.js';
import { makeSeed, mutate, Rng, type Seed } from './mutate.js';
import type { WorkIn, WorkOut } from './worker.js';

export const FUZZ_DIR = new URL('.', import.meta.url).pathname;
export const REGRESSION_DIR = join(FUZZ_DIR, 'regressions');
const ROOT = new URL('../..', import.meta.url).pathname;
export const DEFAULT_SEED_DIRS = [
  join(ROOT, '../shared/corpus'),
  join(ROOT, 'test/fixtures'),
  REGRESSION_DIR,
];

export interface FuzzOptions {
  /** stop after this many seconds (default 40 unless count is given) */
  seconds?: number;
  /** stop after this many inputs */
  count?: number;
  seed?: number;
  /** per-input time limit (default 5000 ms) */
  timeoutMs?: number;
  /** memory bound per input: heap + array buffers grown, and the worker's old-space limit (default 256 MB) */
  memoryMb?: number;
  seedDirs?: string[];
  /** where findings are saved; null keeps them in the report only */
  outDir?: string | null;
  /** seeds longer than this are cut at a record boundary (small seeds fuzz faster) */
  maxSeedBytes?: number;
  log?: (line: string) => void;
}

export type FindingKind = 'crash' | 'hang' | 'memory';

export interface Finding {
  kind: FindingKind;
  signature: string;
  message: string;
  /** input number and the seed capture it came from, with the mutation steps */
  input: number;
  seedName: string;
  steps: string[];
  config: Config;
  bytes: Uint8Array;
  /** how often this signature was hit */
  hits: number;
  file: string | null;
}

export interface FuzzReport {
  seed: number;
  seeds: number;
  inputs: number;
  seconds: number;
  perSecond: number;
  refused: number;
  packets: number;
  rows: number;
  findings: Finding[];
  /** slowest input that still finished (ms), and the largest memory growth (MB) */
  slowestMs: number;
  maxGrowthMb: number;
}

const WORKER_URL = new URL('./worker.ts', import.meta.url).href;
const CAPTURE_EXT = /\.(pcap|pcapng|cap)$/i;

export function loadSeeds(dirs: readonly string[], maxBytes: number): Seed[] {
  const seeds: Seed[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (!CAPTURE_EXT.test(name) || !statSync(p).isFile()) continue;
      let bytes: Uint8Array = readFileSync(p);
      if (bytes.length > maxBytes) bytes = cutAtUnit(bytes, maxBytes);
      seeds.push(makeSeed(name, new Uint8Array(bytes)));
    }
  }
  return seeds;
}

/** The longest prefix of whole records/blocks within max bytes (or a plain cut when there are none). */
function cutAtUnit(bytes: Uint8Array, max: number): Uint8Array {
  const units = makeSeed('', bytes).layout.units;
  let end = 0;
  for (const [, e] of units) if (e <= max) end = e;
  return bytes.subarray(0, end > 0 ? end : max);
}

/** Mixes the run seed and the input number into one input's own PRNG seed. */
function inputSeed(seed: number, n: number): number {
  let h = Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) ^ Math.imul(n + 1, 0x27d4eb2f);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}

/** The input number n of a run: same seed and n, same bytes and config. */
export function makeInput(
  seeds: readonly Seed[],
  seed: number,
  n: number,
): { bytes: Uint8Array; steps: string[]; config: Config; seedName: string } {
  const rng = new Rng(inputSeed(seed, n));
  const si = rng.int(seeds.length);
  const { bytes, steps } = mutate(rng, seeds, si);
  const r = rng.next();
  const config: Config =
    r < 0.55 ? 'default' : (CONFIGS[1 + Math.floor(((r - 0.55) / 0.45) * 3)] ?? 'default');
  return { bytes, steps, config, seedName: seeds[si]!.name };
}

/** A stable name for a failure: kind, error name, message with numbers blanked, first frame in our code. */
function signatureOf(out: Extract<WorkOut, { ok: false }>): string {
  const frame = out.stack
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('at ') && l.includes('/src/'));
  const where = frame ? frame.replace(/^.*\/src\//, 'src/').replace(/[()]/g, '') : '?';
  return `${out.name}: ${out.message.replace(/\d+/g, '#').slice(0, 120)} @ ${where}`;
}

type Outcome =
  | { kind: 'ok'; out: Extract<WorkOut, { ok: true }> }
  | { kind: 'crash'; out: Extract<WorkOut, { ok: false }> }
  | { kind: 'hang' | 'memory' | 'died'; message: string };

/** One worker thread at a time; replaced after a hang or a death. */
/** Loading the pipeline's modules in a fresh worker can take seconds on a busy machine. */
const STARTUP_MS = 120_000;

class Runner {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private pending: ((o: Outcome) => void) | null = null;

  constructor(
    private readonly timeoutMs: number,
    private readonly memoryMb: number,
  ) {}

  private start(): Worker {
    let onReady: () => void = () => undefined;
    let onFail: (e: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    // a worker does not inherit the TypeScript loader: register tsx first, then load the worker module
    const entry = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); })`;
    const w = new Worker(entry, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 32 },
    });
    const startup = setTimeout(() => onFail(new Error('fuzz: the worker did not start')), STARTUP_MS);
    w.on('message', (m: WorkOut | { ready: true }) => {
      if ('ready' in m) {
        clearTimeout(startup);
        onReady();
        return;
      }
      const p = this.pending;
      this.pending = null;
      if (!p) return;
      if (m.ok) p({ kind: 'ok', out: m });
      else p({ kind: 'crash', out: m });
    });
    w.on('error', (e: Error & { code?: string }) => {
      const p = this.pending;
      this.pending = null;
      this.worker = null;
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap/i.test(e.message);
      p?.({ kind: oom ? 'memory' : 'died', message: `${e.code ?? e.name}: ${e.message}` });
    });
    w.on('exit', (code) => {
      clearTimeout(startup);
      // a worker that dies before it could run anything is a broken set-up, not a finding
      onFail(new Error(`fuzz: the worker exited with code ${code} before it was ready`));
      if (this.worker === w) this.worker = null;
      const p = this.pending;
      this.pending = null;
      p?.({ kind: 'died', message: `worker exited with code ${code}` });
    });
    return w;
  }

  async run(
    bytes: Uint8Array,
    config: Config,
    timeoutMs = this.timeoutMs,
    probe?: WorkIn['probe'],
  ): Promise<Outcome> {
    const w = (this.worker ??= this.start());
    // the time limit starts once the worker has loaded its modules
    await this.ready;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (!this.pending) return;
        this.pending = null;
        this.worker = null;
        void w.terminate();
        resolve({ kind: 'hang', message: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      this.pending = (o) => {
        clearTimeout(timer);
        resolve(o);
      };
      w.postMessage({ id: this.nextId++, bytes, config, probe } satisfies WorkIn);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

function classify(
  o: Outcome,
  memoryMb: number,
): { kind: FindingKind; signature: string; message: string } | null {
  if (o.kind === 'ok') {
    if (o.out.growthMb > memoryMb) {
      const message = `memory grew by ${o.out.growthMb.toFixed(0)} MB (bound ${memoryMb} MB)`;
      return { kind: 'memory', signature: 'memory: growth over the bound', message };
    }
    return null;
  }
  if (o.kind === 'crash') return { kind: 'crash', signature: signatureOf(o.out), message: o.out.stack };
  if (o.kind === 'hang') return { kind: 'hang', signature: 'hang', message: o.message };
  return {
    kind: o.kind === 'memory' ? 'memory' : 'crash',
    signature: `${o.kind}: ${o.message}`,
    message: o.message,
  };
}

/**
 * A smaller input that still fails the same way: the shortest failing prefix (binary search; a failure is not
 * always monotone), then whole records/blocks dropped in halving chunks while the failure stays.
 */
async function minimise(runner: Runner, f: Finding, memoryMb: number): Promise<Uint8Array> {
  const same = async (b: Uint8Array): Promise<boolean> =>
    classify(await runner.run(b, f.config), memoryMb)?.signature === f.signature;
  let best = f.bytes;
  let lo = 0;
  let hi = best.length;
  for (let i = 0; i < 24 && hi - lo > 1; i++) {
    const mid = (lo + hi) >> 1;
    if (await same(best.subarray(0, mid))) {
      hi = mid;
      best = best.subarray(0, mid);
    } else lo = mid;
  }
  let budget = 64;
  let units = makeSeed('', best).layout.units;
  for (let chunk = units.length >> 1; chunk >= 1 && budget > 0; chunk >>= 1) {
    for (let k = 0; k + chunk <= units.length && budget > 0;) {
      const cut0 = units[k]![0];
      const cut1 = units[k + chunk - 1]![1];
      const candidate = new Uint8Array(best.length - (cut1 - cut0));
      candidate.set(best.subarray(0, cut0));
      candidate.set(best.subarray(cut1), cut0);
      budget--;
      if (await same(candidate)) {
        best = candidate;
        units = makeSeed('', best).layout.units;
      } else k += chunk;
    }
  }
  return best.slice();
}

export async function fuzz(opts: FuzzOptions = {}): Promise<FuzzReport> {
  const seed = opts.seed ?? 1;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const memoryMb = opts.memoryMb ?? 256;
  const count = opts.count ?? Infinity;
  const seconds = opts.seconds ?? (opts.count === undefined ? 40 : Infinity);
  const outDir = opts.outDir === undefined ? REGRESSION_DIR : opts.outDir;
  const log = opts.log ?? (() => undefined);
  const seeds = loadSeeds(opts.seedDirs ?? DEFAULT_SEED_DIRS, opts.maxSeedBytes ?? 192 * 1024);
  if (seeds.length === 0) throw new Error('fuzz: no seed captures found');
  const runner = new Runner(timeoutMs, memoryMb * 2);
  const found = new Map<string, Finding>();
  const report: FuzzReport = {
    seed,
    seeds: seeds.length,
    inputs: 0,
    seconds: 0,
    perSecond: 0,
    refused: 0,
    packets: 0,
    rows: 0,
    findings: [],
    slowestMs: 0,
    maxGrowthMb: 0,
  };
  const t0 = performance.now();
  let lastLog = t0;
  try {
    for (let n = 0; n < count && performance.now() - t0 < seconds * 1000; n++) {
      const input = makeInput(seeds, seed, n);
      let outcome = await runner.run(input.bytes, input.config);
      // a shared machine can stall: a hang must repeat with a longer limit to count
      if (outcome.kind === 'hang') outcome = await runner.run(input.bytes, input.config, timeoutMs * 3);
      report.inputs++;
      if (outcome.kind === 'ok') {
        const s = outcome.out.stats;
        if (s.refused) report.refused++;
        report.packets += s.packets;
        report.rows += s.rows;
        report.slowestMs = Math.max(report.slowestMs, outcome.out.ms);
        report.maxGrowthMb = Math.max(report.maxGrowthMb, outcome.out.growthMb);
      }
      const c = classify(outcome, memoryMb);
      if (c) {
        const prev = found.get(c.signature);
        if (prev) prev.hits++;
        else {
          const f: Finding = { ...c, ...input, input: n, hits: 1, file: null };
          found.set(c.signature, f);
          log(`finding #${found.size} at input ${n} (${input.seedName}, ${input.config}): ${c.signature}`);
          if (c.kind === 'crash') f.bytes = await minimise(runner, f, memoryMb);
          if (outDir) f.file = save(outDir, f, seed);
        }
      }
      const now = performance.now();
      if (now - lastLog > 10000) {
        lastLog = now;
        log(
          `${report.inputs} inputs, ${((report.inputs * 1000) / (now - t0)).toFixed(0)}/s, ${found.size} findings`,
        );
      }
    }
  } finally {
    await runner.close();
  }
  report.seconds = (performance.now() - t0) / 1000;
  report.perSecond = report.inputs / report.seconds;
  report.findings = [...found.values()];
  return report;
}

/** Self-test: how the driver classifies a worker that throws, hangs or eats memory on purpose. */
export async function probeDriver(
  kind: NonNullable<WorkIn['probe']>,
  timeoutMs = 2000,
  memoryMb = 64,
): Promise<{ kind: FindingKind; signature: string } | null> {
  const runner = new Runner(timeoutMs, memoryMb * 2);
  try {
    const c = classify(await runner.run(new Uint8Array(0), 'default', timeoutMs, kind), memoryMb);
    return c && { kind: c.kind, signature: c.signature };
  } finally {
    await runner.close();
  }
}

function save(dir: string, f: Finding, seed: number): string {
  mkdirSync(dir, { recursive: true });
  const hash = createHash('sha256').update(f.bytes).digest('hex').slice(0, 16);
  const ext = f.bytes[0] === 0x0a && f.bytes[1] === 0x0d ? 'pcapng' : 'pcap';
  const file = join(dir, `${hash}.${ext}`);
  writeFileSync(file, f.bytes);
  const note = {
    kind: f.kind,
    signature: f.signature,
    config: f.config,
    seed,
    input: f.input,
    from: f.seedName,
    steps: f.steps,
    message: f.message.split('\n').slice(0, 8).join('\n'),
  };
  writeFileSync(join(dir, `${hash}.json`), JSON.stringify(note, null, 2) + '\n');
  return file;
}
