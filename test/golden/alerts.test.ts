/**
 * Golden test: every alert the fixtures and the team corpus produce (test/golden/alerts.json, reviewed by hand
 * when generated). A capture missing here (a fresh clone has only the fixtures) is skipped; a capture present
 * but not in the file fails: regenerate with `npx tsx scripts/gen-alerts-golden.ts` and review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALERTS_GOLDEN, goldenAlertsOf, goldenCaptures, type GoldenAlert } from './alerts-golden.js';

const golden = JSON.parse(readFileSync(ALERTS_GOLDEN, 'utf8')) as Record<string, GoldenAlert[] | null>;
const present = goldenCaptures();

test('every capture present is in the golden file', () => {
  assert.deepEqual(
    [...present.keys()].filter((n) => !(n in golden)),
    [],
    'regenerate test/golden/alerts.json (npx tsx scripts/gen-alerts-golden.ts) and review it',
  );
});

for (const [name, want] of Object.entries(golden)) {
  const path = present.get(name);
  test(`alerts of ${name}`, { skip: path ? false : 'capture not present' }, async () => {
    assert.deepEqual(await goldenAlertsOf(path!), want);
  });
}
