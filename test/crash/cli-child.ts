/**
 * The real CLI (src/cli/main.ts) as a child process, run through tsx so the crash tests need no build:
 * node --import tsx test/crash/cli-child.ts <command> [args].
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
