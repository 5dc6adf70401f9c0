// `npm run build:cli` (and `prepare`): compiles the `latchkey` command line into one ES module, so a command starts in
// plain Node instead of compiling TypeScript through tsx at every start (issue #9, point 23).
// Usage: node scripts/build-cli.mjs [--quiet]
import { mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CLI_BUNDLE_PATH, CLI_ENTRY, CLI_INPUTS_PATH } from './cliBundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundlePath = join(root, CLI_BUNDLE_PATH);
// Native addons load their prebuilt binaries from their own folders, and Electron is never part of the CLI:
// they stay imports, resolved from node_modules at run time.
const EXTERNAL = ['node-hid', 'pcsc-mini', 'cbor-extract', 'electron'];

const startedAt = new Date();
const result = await build({
  absWorkingDir: root,
  entryPoints: [CLI_ENTRY],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external: EXTERNAL,
  // Bundled CommonJS dependencies call require() for Node built-ins, which an ES module lacks.
  banner: {
    js: "import { createRequire as __latchkeyCreateRequire } from 'node:module';\nconst require = __latchkeyCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  metafile: true,
  write: false,
  logLevel: 'warning',
});

const [bundle] = result.outputFiles;
// What bin/latchkey.js compares with the bundle: our own sources (a dependency changes only with the lock file).
const inputs = Object.keys(result.metafile.inputs)
  .filter((input) => !input.includes('node_modules/'))
  .concat('package-lock.json')
  .sort();

mkdirSync(dirname(bundlePath), { recursive: true });
writeAtomically(bundlePath, bundle.contents);
// The bundle is as old as the sources it read: a file saved while esbuild ran counts as newer than the bundle.
utimesSync(bundlePath, startedAt, startedAt);
writeAtomically(join(root, CLI_INPUTS_PATH), `${JSON.stringify({ inputs }, null, 2)}\n`);

if (!process.argv.includes('--quiet')) {
  const kib = Math.round(bundle.contents.length / 1024);
  console.log(`built ${CLI_BUNDLE_PATH} (${kib} KiB from ${inputs.length - 1} source files)`);
}

/** Writes beside the target and renames, so a `latchkey` starting meanwhile never loads half a file. */
function writeAtomically(target, contents) {
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, target);
}
