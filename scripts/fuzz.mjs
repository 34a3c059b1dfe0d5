// Fuzzes the readers, decoders, reassembly and app parsers (see test/fuzz/fuzzer.ts).
// Usage: npm run fuzz -- --seconds 60 [--seed N] [--count N] [--timeout-ms N] [--memory-mb N] [--no-save]
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/fuzz/cli.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
