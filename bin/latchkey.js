#!/usr/bin/env node
// The `latchkey` command: runs the compiled CLI (`npm run build:cli`) when it is up to date with src/, and otherwise
// the TypeScript sources through tsx's loader, which works everywhere but takes about a second longer to start.
import { CLI_BUNDLE_PATH, cliBundleStaleness } from '../scripts/cliBundle.mjs';

const stale = cliBundleStaleness();
let main;
if (stale === undefined) {
  ({ main } = await import(new URL(`../${CLI_BUNDLE_PATH}`, import.meta.url).href));
} else {
  process.stderr.write(
    `latchkey: running from the TypeScript sources (slower start): ${stale}; \`npm run build:cli\` compiles it.\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
