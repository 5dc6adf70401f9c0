// `npm start`: launches the Electron app, or explains in one paragraph why it cannot here.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WHAT_WORKS = 'What works today: the `latchkey` command line (README.md, "Run") and the tests (`npm test`).';
const NOT_A_DEPENDENCY =
  'Latchkey\u2019s desktop window is not part of this checkout yet: Electron is not among its dependencies, so there ' +
  'is no app to open.';
const NO_BINARY =
  'Latchkey\u2019s desktop window needs Electron\u2019s binary, which the electron package downloads when it is ' +
  'installed; that download did not happen on this machine (it needs internet access).';

/** The path of Electron's binary, or why there is none. */
function findElectron() {
  try {
    require.resolve('electron');
  } catch {
    return { why: NOT_A_DEPENDENCY };
  }
  try {
    // In plain Node the electron package exports the path of its binary, or throws when the binary is missing.
    const binary = require('electron');
    if (typeof binary === 'string') return { binary };
  } catch {
    // Electron 45 tries to download a missing binary on first use and throws where it cannot.
  }
  return { why: NO_BINARY };
}

const { binary, why } = findElectron();
if (binary === undefined) {
  console.error(`${why} ${WHAT_WORKS}`);
  process.exit(1);
}
const result = spawnSync(binary, ['.'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
