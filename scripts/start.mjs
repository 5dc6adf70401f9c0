// `npm start`: launches the Electron app, or explains in one paragraph why it cannot here.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronBinary;
try {
  // In plain Node the electron package exports the path of its binary, or throws when the binary is missing.
  electronBinary = require('electron');
} catch {
  electronBinary = undefined;
}
if (typeof electronBinary !== 'string') {
  console.error(
    'Latchkey\u2019s desktop window needs Electron\u2019s binary, which is not installed on this machine ' +
      '(the electron package downloads it at install time, and that download is not possible here). ' +
      'Everything else works without it: the `latchkey` command line (see README.md), the tests (`npm test`) ' +
      'and the UI tests in Chromium. On a machine with internet access, `npm install` fetches Electron and `npm start` opens the app.',
  );
  process.exit(1);
}
const result = spawnSync(electronBinary, ['.'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
