#!/usr/bin/env -S node --max-semi-space-size=32
// Thin launcher: the CLI itself lives in src/cli (compiled to dist by `npm run build`, which `npm ci` runs).
// A 32 MiB young generation (V8's default is 16): a full decode keeps many per-conversation objects alive for a
// while, and fewer scavenges copy them fewer times (summary --tables on the bench capture: 105 -> 64 scavenges,
// 4.68 -> 4.51 s; import 11.65 -> 11.31 s; ~40 MB more peak RSS). Only this line sets it: `node bin/pcaplens.js`
// runs without it.
import { main } from '../dist/cli/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
