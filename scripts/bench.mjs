// Benchmark: pcaplens vs tshark on a >= 1 GB capture (wall time, peak RSS), and pcaplens on a half-size capture to
// show memory stays flat. Usage: npm run bench [-- --runs N] [-- --skip-tshark] [-- --no-build]
// Builds the captures with ../shared/bench/make-big.sh when missing (bench/data/, git-ignored) and compiles dist/
// (tsc only, no UI) first unless --no-build, so the figures are those of the checked-out code. Prints a table
// (with the load average before each run: the machine is shared) and writes bench/out/bench-<date>.json.
// Record the figures in bench/README.md by hand.
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
function measure(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const full = haveTimeV ? ['/usr/bin/time', ['-v', cmd, ...args]] : [cmd, args];
    const child = spawn(full[0], full[1], { stdio: ['ignore', 'ignore', 'pipe'] });
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

async function best(label, cmd, args) {
  let b = null;
  for (let i = 0; i < runs; i++) {
    const load = load1();
    const r = await measure(cmd, args);
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

const node = process.execPath;
const pcaplens = (file) => [node, [join(root, 'bin/pcaplens.js'), 'flows', '--format', 'json', file]];
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
await warm(big);
const pBig = await best('pcaplens big', ...pcaplens(big));
await warm(half);
const pHalf = await best('pcaplens half', ...pcaplens(half));
let tBig = null;
if (!opt['skip-tshark']) {
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
  `pcaplens flows --format json (big)   ${fmt(pBig)}   ${(mb(big) / pBig.wallS).toFixed(0)} MB/s`,
  `pcaplens flows --format json (half)  ${fmt(pHalf)}`,
];
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
if (tBig) {
  lines.push(`tshark -z conv,tcp -z conv,udp (big)  ${fmt(tBig)}`);
  const wall = pBig.wallS / tBig.wallS;
  const rss = pBig.rssKb / tBig.rssKb;
  lines.push('', `wall ratio pcaplens/tshark: ${wall.toFixed(3)} (target <= 0.10: ${verdict(wall <= 0.1)})`);
  if (pBig.cpuS && tBig.cpuS) lines.push(`CPU ratio pcaplens/tshark:  ${(pBig.cpuS / tBig.cpuS).toFixed(3)}`);
  lines.push(`RSS ratio pcaplens/tshark:  ${rss.toFixed(3)} (target <= 0.25: ${verdict(rss <= 0.25)})`);
  Object.assign(results, { tsharkBig: tBig, wallRatio: wall, rssRatio: rss });
}
const growth = pBig.rssKb / pHalf.rssKb - 1;
lines.push(
  `RSS growth half -> big: ${(growth * 100).toFixed(1)}% (target <= 20%: ${verdict(growth <= 0.2)})`,
);
results.rssGrowth = growth;
console.log(lines.join('\n'));
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, `bench-${results.date.slice(0, 10)}.json`),
  JSON.stringify(results, null, 2) + '\n',
);
