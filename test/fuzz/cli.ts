/**
 * `npm run fuzz -- [--seconds N] [--count N] [--seed N] [--timeout-ms N] [--memory-mb N] [--no-save | --out DIR]`
 * Prints progress on stderr and a JSON report on stdout; exits 1 when something was found.
 */
import { parseArgs } from 'node:util';
import { fuzz } from './fuzzer.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    count: { type: 'string' },
    seed: { type: 'string' },
    'timeout-ms': { type: 'string' },
    'memory-mb': { type: 'string' },
    'no-save': { type: 'boolean' },
    out: { type: 'string' },
  },
});
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const report = await fuzz({
  seconds: num(values.seconds),
  count: num(values.count),
  seed: num(values.seed),
  timeoutMs: num(values['timeout-ms']),
  memoryMb: num(values['memory-mb']),
  ...(values['no-save'] ? { outDir: null } : values.out ? { outDir: values.out } : {}),
  log: (l) => process.stderr.write(`fuzz: ${l}\n`),
});
const { findings, ...rest } = report;
const summary = {
  ...rest,
  perSecond: Math.round(report.perSecond),
  seconds: Math.round(report.seconds),
  findings: findings.map((f) => ({
    kind: f.kind,
    signature: f.signature,
    hits: f.hits,
    input: f.input,
    from: f.seedName,
    config: f.config,
    file: f.file,
    size: f.bytes.length,
  })),
};
process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
process.exitCode = findings.length > 0 ? 1 : 0;
