// `npm run build:cli` (and `prepare`): compiles the `latchkey` command line into one file, so a command starts in
// plain Node instead of compiling TypeScript through tsx at every start (issue #9, point 23).
// Usage: node scripts/build-cli.mjs [--quiet]
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CLI_BUNDLE_PATH, CLI_ENTRY, CLI_INPUTS_PATH } from './cliBundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundlePath = join(root, CLI_BUNDLE_PATH);
// Native addons load their prebuilt binaries from their own folders, and Electron is never part of the CLI:
// they stay outside the bundle, resolved from node_modules at run time.
const EXTERNAL = ['node-hid', 'pcsc-mini', 'cbor-extract', '@node-rs/argon2', 'electron'];

/**
 * The sources load the native addons with import(), on first use. A script run from V8's code cache loses its dynamic
 * import callback on Node 20, so inside the bundle each becomes a require() on first use instead (both addons are
 * CommonJS; esbuild gives the module the same namespace shape import() would).
 */
const lazyRequire = {
  name: 'lazy-require-externals',
  setup(build) {
    const filter = new RegExp(`^(${EXTERNAL.join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.kind === 'dynamic-import'
        ? { path: args.path, namespace: 'lazy-require' }
        : { path: args.path, external: true },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

const startedAt = new Date();
const result = await build({
  absWorkingDir: root,
  entryPoints: [CLI_ENTRY],
  bundle: true,
  platform: 'node',
  // CommonJS, because Node 20 can keep V8's compiled code of a script (cliBundle.mjs) but not of an ES module.
  format: 'cjs',
  target: 'node20.19',
  plugins: [lazyRequire],
  // import.meta.url of every bundled module becomes the bundle's own URL, as it would be in an ES module bundle.
  define: { 'import.meta.url': '__latchkeyBundleUrl' },
  banner: { js: "var __latchkeyBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  metafile: true,
  write: false,
  logLevel: 'warning',
});

const [bundle] = result.outputFiles;
const dynamicImports = Object.values(result.metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((imported) => imported.kind === 'dynamic-import' && imported.external);
if (dynamicImports.length > 0) {
  throw new Error(
    `the CLI bundle keeps import() of ${dynamicImports.map((i) => i.path).join(', ')}, expected none: run from the ` +
      'code cache it would fail; list the module in EXTERNAL in scripts/build-cli.mjs',
  );
}
// What bin/latchkey.js compares with the bundle: our own sources (a dependency changes only with the lock file; the
// plugin's modules, named `lazy-require:...`, are no files).
const inputs = Object.keys(result.metafile.inputs)
  .filter((input) => !input.includes('node_modules/') && !input.startsWith('lazy-require:'))
  .concat('package-lock.json')
  .sort();
// Names the code cache of this very bundle: V8 checks only a cache's length against its source, not its content.
const buildId = createHash('sha256').update(bundle.contents).digest('hex').slice(0, 16);

const outDir = dirname(bundlePath);
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(outDir)) {
  if (file.startsWith(basename(bundlePath)) && file.endsWith('.cache')) rmSync(join(outDir, file), { force: true });
}
writeAtomically(bundlePath, bundle.contents);
// The bundle is as old as the sources it read: a file saved while esbuild ran counts as newer than the bundle.
utimesSync(bundlePath, startedAt, startedAt);
writeAtomically(join(root, CLI_INPUTS_PATH), `${JSON.stringify({ buildId, inputs }, null, 2)}\n`);

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
