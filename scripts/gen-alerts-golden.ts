// Regenerates test/golden/alerts.json from the fixtures and the team corpus. Run on purpose, then review the
// diff by hand: every new alert must be right (or the analysis fixed).
import { writeFileSync } from 'node:fs';
import {
  ALERTS_GOLDEN,
  goldenAlertsOf,
  goldenCaptures,
  type GoldenAlert,
} from '../test/golden/alerts-golden.js';

const out: Record<string, GoldenAlert[] | null> = {};
for (const [name, path] of goldenCaptures()) out[name] = await goldenAlertsOf(path);
writeFileSync(ALERTS_GOLDEN, JSON.stringify(out, null, 1) + '\n');
const total = Object.values(out).reduce((s, a) => s + (a?.length ?? 0), 0);
console.error(`${ALERTS_GOLDEN}: ${Object.keys(out).length} captures, ${total} alerts`);
