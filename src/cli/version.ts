import { createRequire } from 'node:module';

/** The package version (src/cli and dist/cli both sit two levels below the package root). */
export function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}
