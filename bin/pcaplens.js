#!/usr/bin/env node
// Thin launcher: the CLI itself lives in src/cli (compiled to dist by `npm run build`, which `npm ci` runs).
import { main } from '../dist/cli/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
