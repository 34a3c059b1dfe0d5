/** The headless Chromium check gives up when Chromium dies or times out, instead of waiting forever. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPage, chromiumAvailable } from '../../src/cli/render/headless-chromium.js';

test(
  'checkPage rejects when Chromium is killed by its time limit',
  { skip: !chromiumAvailable(), timeout: 30000 },
  async () => {
    const page = join(mkdtempSync(join(tmpdir(), 'pcaplens-chromium-')), 'p.html');
    writeFileSync(page, '<!DOCTYPE html><title>x</title>');
    await assert.rejects(checkPage(page, [], 1), /chromium exited/);
  },
);
