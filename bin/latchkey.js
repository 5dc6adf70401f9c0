#!/usr/bin/env node
// The `latchkey` command: runs the compiled CLI (`npm run build:cli`) when it is up to date with src/, and otherwise
// the TypeScript sources through tsx's loader, which works everywhere but takes about a second longer to start.
import { cliBundleStaleness, runCompiledCli } from '../scripts/cliBundle.mjs';

const stale = cliBundleStaleness();
if (stale === undefined) {
  process.exitCode = await runCompiledCli(process.argv.slice(2));
} else {
  process.stderr.write(
    `latchkey: running from the TypeScript sources (slower start): ${stale}; \`npm run build:cli\` compiles it.\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/main/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
