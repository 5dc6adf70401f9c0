// Records in package-lock.json the optional platform packages that npm left out because the registry could not serve
// them (cbor-x's and pcsc-mini's prebuilt binaries for other platforms). Without them `npm ci` refuses the lock as
// out of sync; with them it skips or tolerates each one, as it does for any optional dependency.
// Run after `npm install` changes the lock: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    lock.packages[key] = { version, optional: true };
    added++;
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added ? `recorded ${added} optional package(s) the registry did not serve` : 'lock file already complete');
