/**
 * A short fuzz run as part of `npm test`: a fixed seed, so a failure here reproduces with
 * `npm run fuzz -- --seed 7 --count <inputs>`. FUZZ_SHORT_SECONDS changes the length (default 25).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz } from './fuzzer.js';

const seconds = Number(process.env.FUZZ_SHORT_SECONDS ?? 25);

test(
  `fuzz: ${seconds} s over the corpus and fixtures finds nothing`,
  { timeout: (seconds + 120) * 1000 },
  async () => {
    const report = await fuzz({ seconds, seed: 7, outDir: null });
    assert.ok(report.seeds > 10, `only ${report.seeds} seed captures`);
    assert.ok(report.inputs > 0);
    // the inputs reached the decoders: packets were decoded and app rows made
    assert.ok(report.packets > 0 && report.rows > 0, JSON.stringify({ ...report, findings: undefined }));
    const lines = report.findings.map(
      (f) =>
        `${f.kind} x${f.hits}: ${f.signature}\n  input ${f.input} from ${f.seedName} (${f.config}): ${f.steps.join(', ')}\n  ${f.message.split('\n').slice(0, 4).join('\n  ')}`,
    );
    assert.deepEqual(lines, [], 'save them with: npm run fuzz -- --seed 7 --count ' + report.inputs);
  },
);
