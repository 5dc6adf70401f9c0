// Where the compiled `latchkey` CLI lives, whether it is up to date with its sources, and how it runs fast.
// bin/latchkey.js asks at every start, so this stays cheap: one stat per source file, no hashing, no TypeScript.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const ROOT = new URL('..', import.meta.url);

/** The CLI's entry point, relative to the repository root. */
export const CLI_ENTRY = 'src/main/cli/main.ts';
/**
 * The bundle sits as deep under dist/ as its entry under src/, so the paths the CLI resolves from its own
 * import.meta.url (package.json, for `latchkey version`) land on the same files in both.
 */
export const CLI_BUNDLE_PATH = 'dist/main/cli/latchkey.cjs';
/** What the bundle was built from (JSON: `{ buildId, inputs: string[] }`, paths relative to the root). */
export const CLI_INPUTS_PATH = 'dist/main/cli/latchkey.inputs.json';

/**
 * Why the compiled CLI under `root` cannot be used (not built, or older than one of its sources), or undefined when it
 * can. A listed source that no longer exists is skipped: the file that imported it changed too, or the package ships
 * without sources.
 * @param {{ root?: URL }} [options] root: the repository root (default: this checkout)
 * @returns {string | undefined}
 */
export function cliBundleStaleness({ root = ROOT } = {}) {
  const bundle = statSync(new URL(CLI_BUNDLE_PATH, root), { throwIfNoEntry: false });
  if (bundle === undefined) return `${CLI_BUNDLE_PATH} has not been built`;
  let inputs;
  try {
    ({ inputs } = JSON.parse(readFileSync(new URL(CLI_INPUTS_PATH, root), 'utf8')));
  } catch {
    return `${CLI_INPUTS_PATH}, the list of its sources, is missing or unreadable`;
  }
  if (!Array.isArray(inputs)) return `${CLI_INPUTS_PATH} lists no sources`;
  for (const input of inputs) {
    const source = statSync(new URL(input, root), { throwIfNoEntry: false });
    if (source !== undefined && source.mtimeMs > bundle.mtimeMs)
      return `${input} changed after ${CLI_BUNDLE_PATH} was built`;
  }
  return undefined;
}

/**
 * Runs the compiled CLI's `main(argv)` and returns its exit code. V8's compiled code of the bundle is kept beside it
 * (one cache per build and V8 version, written after the first run, by then holding the functions that ran), which
 * saves about a third of the start-up CPU. Where the cache cannot be written, each run compiles afresh.
 * @param {string[]} argv the arguments after `latchkey`
 * @returns {Promise<number>}
 */
export async function runCompiledCli(argv) {
  const file = fileURLToPath(new URL(CLI_BUNDLE_PATH, ROOT));
  const { buildId } = JSON.parse(readFileSync(new URL(CLI_INPUTS_PATH, ROOT), 'utf8'));
  const cacheFile = `${file}.${buildId}-${process.arch}-v8-${process.versions.v8}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(source, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const exitCode = await module.exports.main(argv);
  if (cachedData === undefined || script.cachedDataRejected) {
    try {
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only installation: the CLI still runs, compiling at each start.
    }
  }
  return exitCode;
}
