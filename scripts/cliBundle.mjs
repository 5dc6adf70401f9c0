// Where the compiled `latchkey` CLI lives and whether it is up to date with the sources it was built from.
// bin/latchkey.js asks at every start, so this stays cheap: one stat per source file, no hashing, no TypeScript.
import { readFileSync, statSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url);

/** The CLI's entry point, relative to the repository root. */
export const CLI_ENTRY = 'src/main/cli/main.ts';
/**
 * The bundle sits as deep under dist/ as its entry under src/, so the paths the CLI resolves from its own
 * import.meta.url (package.json, for `latchkey version`) land on the same files in both.
 */
export const CLI_BUNDLE_PATH = 'dist/main/cli/latchkey.mjs';
/** The sources the bundle was built from (JSON: `{ inputs: string[] }`, paths relative to the root). */
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
