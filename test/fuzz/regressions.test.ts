/**
 * Replays every input the fuzzer ever saved (test/fuzz/regressions/*.pcap|pcapng) through the whole pipeline
 * under every run configuration: none may throw. A saved hang would show as this test's timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGRESSION_DIR } from './fuzzer.js';
import { CONFIGS, runInput } from './run-input.js';

const files = (existsSync(REGRESSION_DIR) ? readdirSync(REGRESSION_DIR) : [])
  .filter((f) => /\.(pcap|pcapng)$/.test(f))
  .sort();

for (const name of files) {
  test(`fuzz regression ${name}`, { timeout: 20000 }, async () => {
    const bytes = new Uint8Array(readFileSync(join(REGRESSION_DIR, name)));
    for (const config of CONFIGS) {
      await assert.doesNotReject(runInput(bytes, config), `${name} (${config})`);
    }
  });
}
