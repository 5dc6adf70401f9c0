// A second process for the kill -9 test: opens the vault at argv[2] with the test password, then writes entries named
// after argv[3] one at a time, printing `ack <id>` only once each write has resolved, until the parent kills it.

import { HybridLogicalClock } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import { putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { readVaultFile, writeVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { CHEAP, entryJson, PASSWORD } from '../slots/testVault.js';
import { entryId } from './entryId.js';

const [file, run] = process.argv.slice(2);
const clock = new HybridLogicalClock({ device: `writer-${run!}` });
let vault = await unlock(await readVaultFile(file!), { password: PASSWORD }, { minArgon2: CHEAP });
process.stdout.write('ready\n');
// Bounded so that a parent that never kills (a bug in the test) does not leave a writer running for ever.
for (let i = 0; i < 100_000; i++) {
  const id = entryId(Number(run), i);
  vault = putEntry(vault, { id, data: entryJson(id) }, clock.tick());
  await writeVaultFile(file!, vault.body);
  process.stdout.write(`ack ${id}\n`);
}
