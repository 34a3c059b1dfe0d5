// Benchmark: pcaplens vs tshark on a >= 1 GB capture (wall time, peak RSS), and pcaplens on a half-size capture to
// show memory stays flat. Usage: npm run bench [-- --runs N] [-- --skip-tshark] [-- --no-build]
// Builds the captures with ../shared/bench/make-big.sh when missing (bench/data/, git-ignored) and compiles dist/
// (tsc only, no UI) first unless --no-build, so the figures are those of the checked-out code. Prints a table
// (with the load average before each run: the machine is shared) and writes bench/out/bench-<date>.json.
// Record the figures in bench/README.md by hand.
// Import section: `pcaplens import big.pcap` into a fresh DuckDB data directory (wall, CPU, peak RSS against the
// same tshark run), then the views' typical store queries on that capture, each 20 times (p50/p95).
// Options: --skip-flows (only the import section), --skip-import, --threads N (import --threads N: decoding threads,
// PCAPLENS_INGEST_THREADS; default: ingest's own default), --query-runs N (default 20).
// App section: the full decode of every table (`pcaplens summary --tables`: flows, hosts and the rows of every
// application table, counted; the target's measure), `pcaplens summary` (totals: application rows not made) and
// `pcaplens http` (the HTTP table only: the parsers other tables need are not run) against
// `tshark -q -n -z conv,tcp -z http,tree -z dns,tree` on the big capture (target: wall <= 0.25 x tshark's).
// --skip-app leaves it out; --app-file FILE runs it on another capture (e.g. bench/data/half.pcap).
// --flow-threads N: PCAPLENS_FLOW_THREADS for the flows runs (default: the CLI's, one reading thread plus the JSON
// thread; 2 = the byte-range split, engine/parallel/range-split.ts, for comparison).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    'skip-tshark': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'skip-flows': { type: 'boolean', default: false },
    'skip-import': { type: 'boolean', default: false },
    threads: { type: 'string' },
    'skip-app': { type: 'boolean', default: false },
    'app-file': { type: 'string' },
    'query-runs': { type: 'string', default: '20' },
    'import-file': { type: 'string' },
    'flow-threads': { type: 'string' },
  },
});
const runs = Math.max(1, Number(opt.runs) || 1);
const dataDir = join(root, 'bench/data');
const outDir = join(root, 'bench/out');
const makeBig = join(root, '../shared/bench/make-big.sh');
const big = join(dataDir, 'big.pcap');
const half = join(dataDir, 'half.pcap');

function ensureCapture(path, sizeMb) {
  if (existsSync(path) && statSync(path).size >= sizeMb * 1048576 * 0.95) return;
  if (!existsSync(makeBig))
    throw new Error(`bench: ${path} is missing and ${makeBig} is not there to build it`);
  console.error(`bench: building ${path} (${sizeMb} MB) with make-big.sh ...`);
  mkdirSync(dataDir, { recursive: true });
  const r = spawnSync(makeBig, [path, String(sizeMb)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('bench: make-big.sh failed');
}

function ensureDist() {
  if (opt['no-build'] && existsSync(join(root, 'dist/cli/main.js'))) return;
  console.error('bench: compiling dist (tsc -p tsconfig.build.json) ...');
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('bench: tsc failed');
}

const load1 = () => loadavg()[0].toFixed(1);

/** Reads the file once so both tools start with it in the page cache. */
function warm(path) {
  return new Promise((resolve, reject) => {
    const s = createReadStream(path, { highWaterMark: 1 << 22 });
    s.on('data', () => {});
    s.on('end', resolve);
    s.on('error', reject);
  });
}

const haveTimeV = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;

/** Runs cmd with stdout to /dev/null; resolves { wallS, rssKb, code }. Peak RSS from time -v or /proc VmHWM. */
function measure(cmd, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const full = haveTimeV ? ['/usr/bin/time', ['-v', cmd, ...args]] : [cmd, args];
    const child = spawn(full[0], full[1], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let hwm = 0;
    const poll = haveTimeV
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const rssKb = m ? Number(m[1]) : hwm;
      // CPU time (user + system) is less sensitive than wall time to other load on a shared machine
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      const cpuS = user && sys ? Number(user[1]) + Number(sys[1]) : null;
      if (code !== 0) console.error(stderr.split('\n').slice(-15).join('\n'));
      resolve({ wallS, cpuS, rssKb, code });
    });
  });
}

async function best(label, cmd, args, env = process.env) {
  let b = null;
  for (let i = 0; i < runs; i++) {
    const load = load1();
    const r = await measure(cmd, args, env);
    r.load = load;
    console.error(
      `bench: ${label} run ${i + 1}: ${r.wallS.toFixed(1)} s wall, ${r.cpuS?.toFixed(1) ?? '?'} s CPU, ` +
        `${(r.rssKb / 1024).toFixed(0)} MB peak RSS, exit ${r.code}, load average before ${load}`,
    );
    if (r.code !== 0) throw new Error(`bench: ${label} failed (exit ${r.code})`);
    if (!b || r.wallS < b.wallS) b = { ...r, rssKb: Math.max(r.rssKb, b?.rssKb ?? 0) };
  }
  return b;
}

// the CLI is run as users run it (npx, or the file itself): through its #! line
const cli = join(root, 'bin/pcaplens.js');
const pcaplens = (file) => [cli, ['flows', '--format', 'json', file]];
const flowEnv = opt['flow-threads']
  ? { ...process.env, PCAPLENS_FLOW_THREADS: opt['flow-threads'] }
  : process.env;
const flowThreads = opt['flow-threads'] ?? 'default';
const tshark = (file) => ['tshark', ['-q', '-n', '-z', 'conv,tcp', '-z', 'conv,udp', '-r', file]];

ensureCapture(big, 1024);
ensureCapture(half, 512);
ensureDist();
const mb = (p) => statSync(p).size / 1048576;
const commit =
  spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout?.trim() || '?';
const loadBefore = loadavg()
  .map((x) => x.toFixed(1))
  .join(' ');
let pBig = null;
let pHalf = null;
if (!opt['skip-flows']) {
  await warm(big);
  pBig = await best('pcaplens big', ...pcaplens(big), flowEnv);
  await warm(half);
  pHalf = await best('pcaplens half', ...pcaplens(half), flowEnv);
}
let tBig = null;
if (!opt['skip-tshark'] && (!opt['skip-flows'] || !opt['skip-import'])) {
  await warm(big);
  tBig = await best('tshark big', ...tshark(big));
}

const fmt = (r) =>
  `${r.wallS.toFixed(1).padStart(7)} s wall ${(r.cpuS ?? NaN).toFixed(1).padStart(7)} s CPU ` +
  `${(r.rssKb / 1024).toFixed(0).padStart(6)} MB   (load ${r.load})`;
const lines = [
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, node ${process.version}`,
  `date:    ${new Date().toISOString()}   commit ${commit}   load average before: ${loadBefore}`,
  `big:     ${mb(big).toFixed(0)} MB   half: ${mb(half).toFixed(0)} MB   (peak RSS via ${haveTimeV ? '/usr/bin/time -v' : '/proc VmHWM'})`,
  '',
];
if (pBig && pHalf)
  lines.push(
    `flow threads: ${flowThreads}`,
    `pcaplens flows --format json (big)   ${fmt(pBig)}   ${(mb(big) / pBig.wallS).toFixed(0)} MB/s`,
    `pcaplens flows --format json (half)  ${fmt(pHalf)}`,
  );
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const results = {
  date: new Date().toISOString(),
  commit,
  loadBefore,
  bigMb: mb(big),
  halfMb: mb(half),
  pcaplensBig: pBig,
  pcaplensHalf: pHalf,
};
if (tBig) lines.push(`tshark -z conv,tcp -z conv,udp (big)  ${fmt(tBig)}`);
if (tBig && pBig) {
  const wall = pBig.wallS / tBig.wallS;
  const rss = pBig.rssKb / tBig.rssKb;
  lines.push('', `wall ratio pcaplens/tshark: ${wall.toFixed(3)} (target <= 0.10: ${verdict(wall <= 0.1)})`);
  if (pBig.cpuS && tBig.cpuS) lines.push(`CPU ratio pcaplens/tshark:  ${(pBig.cpuS / tBig.cpuS).toFixed(3)}`);
  lines.push(`RSS ratio pcaplens/tshark:  ${rss.toFixed(3)} (target <= 0.25: ${verdict(rss <= 0.25)})`);
  Object.assign(results, { tsharkBig: tBig, wallRatio: wall, rssRatio: rss });
}
if (pBig && pHalf) {
  const growth = pBig.rssKb / pHalf.rssKb - 1;
  lines.push(
    `RSS growth half -> big: ${(growth * 100).toFixed(1)}% (target <= 20%: ${verdict(growth <= 0.2)})`,
  );
  results.rssGrowth = growth;
}
if (!opt['skip-app']) {
  const app = await appSection();
  lines.push('', ...app.lines);
  results.app = app.results;
}
if (!opt['skip-import']) {
  const imp = await importSection(tBig);
  lines.push('', ...imp.lines);
  results.import = imp.results;
}
console.log(lines.join('\n'));
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, `bench-${results.date.slice(0, 10)}.json`),
  JSON.stringify(results, null, 2) + '\n',
);

/**
 * The application layer: every table decoded from the capture, against tshark computing conversations plus its
 * HTTP and DNS statistics trees (which make it dissect HTTP and DNS, reassembly on) in the same run.
 */
async function appSection() {
  const file = opt['app-file'] ?? big;
  const name = file === big ? 'big' : file === half ? 'half' : file;
  await warm(file);
  const pTables = await best(`pcaplens summary --tables ${name}`, cli, [
    'summary',
    '--tables',
    '--format',
    'json',
    file,
  ]);
  const pSummary = await best(`pcaplens summary ${name}`, cli, ['summary', '--format', 'json', file]);
  const pHttp = await best(`pcaplens http ${name}`, cli, ['http', '--format', 'json', file]);
  let t = null;
  if (!opt['skip-tshark']) {
    await warm(file);
    t = await best(`tshark conv,tcp + http,tree + dns,tree ${name}`, 'tshark', [
      '-q',
      '-n',
      '-z',
      'conv,tcp',
      '-z',
      'http,tree',
      '-z',
      'dns,tree',
      '-r',
      file,
    ]);
  }
  const lines = [
    `app layer (${name}, ${mb(file).toFixed(0)} MB):`,
    `pcaplens summary --tables (every table)        ${fmt(pTables)}`,
    `pcaplens summary --format json (totals)        ${fmt(pSummary)}`,
    `pcaplens http --format json (HTTP table)       ${fmt(pHttp)}`,
  ];
  const results = { file, tables: pTables, summary: pSummary, http: pHttp };
  if (t) {
    lines.push(`tshark -z conv,tcp -z http,tree -z dns,tree     ${fmt(t)}`);
    for (const [label, r] of [
      ['summary --tables', pTables],
      ['summary', pSummary],
      ['http', pHttp],
    ]) {
      const wall = r.wallS / t.wallS;
      const cpu = r.cpuS && t.cpuS ? r.cpuS / t.cpuS : null;
      const rss = r.rssKb / t.rssKb;
      lines.push(
        `${label}/tshark: wall ${wall.toFixed(3)}` +
          (label === 'summary --tables' ? ` (target <= 0.25: ${verdict(wall <= 0.25)}), ` : ', ') +
          `CPU ${cpu?.toFixed(3) ?? '?'}, RSS ${rss.toFixed(3)}`,
      );
      results[label + 'Ratio'] = { wall, cpu, rss };
    }
    results.tshark = t;
  }
  return { lines, results };
}

/** Milliseconds at the given quantile (nearest rank) of a list of durations. */
function quantile(ms, q) {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/**
 * `pcaplens import` of the big capture into a fresh DuckDB data directory, then the views' typical queries on it
 * (through the built store, as the server runs them), each --query-runs times after one warm-up call.
 */
async function importSection(tshark) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const env = { ...process.env };
  // --threads N goes to the command (import --threads); without it the import's own default applies
  const threadArgs = opt.threads ? ['--threads', opt.threads] : [];
  const threads = opt.threads ?? env.PCAPLENS_INGEST_THREADS ?? 'default';
  let dir = null;
  const fresh = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'pcaplens-bench-import-'));
  };
  const file = opt['import-file'] ?? big;
  await warm(file);
  const label = `pcaplens import ${file === big ? 'big' : file} (threads ${threads})`;
  let r = null;
  for (let i = 0; i < runs; i++) {
    fresh();
    const load = load1();
    const one = await measure(cli, ['import', ...threadArgs, '--data', dir, file], env);
    one.load = load;
    console.error(
      `bench: ${label} run ${i + 1}: ${one.wallS.toFixed(1)} s wall, ${one.cpuS?.toFixed(1) ?? '?'} s CPU, ` +
        `${(one.rssKb / 1024).toFixed(0)} MB peak RSS, exit ${one.code}, load average before ${load}`,
    );
    if (one.code !== 0) throw new Error(`bench: ${label} failed (exit ${one.code})`);
    if (!r || one.wallS < r.wallS) r = { ...one, rssKb: Math.max(one.rssKb, r?.rssKb ?? 0) };
  }
  const lines = [`${label} into DuckDB  ${fmt(r)}`];
  const results = { threads, run: r };
  if (tshark) {
    const wall = r.wallS / tshark.wallS;
    const rss = r.rssKb / tshark.rssKb;
    lines.push(
      `import wall ratio pcaplens/tshark: ${wall.toFixed(3)} (target <= 0.20: ${verdict(wall <= 0.2)})`,
      `import RSS ratio pcaplens/tshark:  ${rss.toFixed(3)} (target <= 0.25: ${verdict(rss <= 0.25)})`,
    );
    if (r.cpuS && tshark.cpuS)
      lines.push(`import CPU ratio pcaplens/tshark:  ${(r.cpuS / tshark.cpuS).toFixed(3)}`);
    Object.assign(results, { wallRatio: wall, rssRatio: rss });
  }
  const { openStore } = await import(join(root, 'dist/store/open.js'));
  const { compileFilter } = await import(join(root, 'dist/shared/filter/index.js'));
  const store = await openStore(undefined, dir);
  try {
    const [cap] = await store.listCaptures();
    const id = cap.id;
    const spanS = (Date.parse(cap.last_ts) - Date.parse(cap.first_ts)) / 1000;
    const filter = compileFilter('proto == "tcp" and flow.bytes > 1000', 'flows');
    const queries = {
      'top hosts (bytes, 20)': () => store.topTalkers({ captureId: id, by: 'bytes', n: 20 }),
      'flows page (bytes desc)': () =>
        store.page('flows', { captureId: id, sort: [{ column: 'bytes', desc: true }], limit: 100 }),
      'flows page (filter, sorted)': () =>
        store.page('flows', {
          captureId: id,
          filter,
          sort: [{ column: 'first_ts' }],
          limit: 100,
          offset: 1000,
        }),
      'time histogram (300 buckets, by proto)': () =>
        store.timeHistogram({ captureId: id, bucketSec: Math.max(1e-6, spanS / 300), groupBy: 'proto' }),
      'graph edges layer 3': () => store.graphEdges({ captureId: id, layer: 3, limit: 1000 }),
      'graph edges layer 4': () => store.graphEdges({ captureId: id, layer: 4, limit: 1000 }),
      'conversations (layer 3, bytes desc)': () =>
        store.conversations({ captureId: id, layer: 3, sort: { column: 'bytes', desc: true }, limit: 100 }),
    };
    const n = Math.max(1, Number(opt['query-runs']) || 20);
    lines.push(`queries on the stored capture (${n} runs each, after one warm-up; load ${load1()}):`);
    results.queries = {};
    let worst = 0;
    for (const [name, q] of Object.entries(queries)) {
      await q();
      const ms = [];
      for (let i = 0; i < n; i++) {
        const t0 = process.hrtime.bigint();
        await q();
        ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const p50 = quantile(ms, 0.5);
      const p95 = quantile(ms, 0.95);
      worst = Math.max(worst, p95);
      results.queries[name] = { p50, p95 };
      lines.push(
        `  ${name.padEnd(40)} p50 ${p50.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms`,
      );
    }
    lines.push(`worst query p95: ${worst.toFixed(1)} ms (target < 150 ms: ${verdict(worst < 150)})`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { lines, results };
}
