// A second process for the kill -9 test, writing as the app does: opens the vault at argv[2] with the test password,
// then adds entries through OpenVault with the journal (appended per change, folded into the file every few ms), printing
// `ack <id> <service>` only once each change has resolved, until the parent kills it.

import { rm } from 'node:fs/promises';
import { OpenVault } from '../../../../src/main/services/vault/OpenVault.js';
import { appendFileDurably } from '../../../../src/main/store/appendFileDurably.js';
import { HybridLogicalClock } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import { readVaultFile, writeVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import { journalLine } from '../../../../src/main/vault/file/vaultJournal.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { CHEAP, ENTRY_SECRET, PASSWORD } from '../slots/testVault.js';

const [file, run, journal] = process.argv.slice(2) as [string, string, string];
const clock = new HybridLogicalClock({ device: `writer-${run}` });
const vault = OpenVault.open({
  file,
  vault: await unlock(await readVaultFile(file), { password: PASSWORD }, { minArgon2: CHEAP }),
  clock,
  // As SessionVault writes (without the lock between processes, which one writer does not need).
  write: async (path, body) => {
    await writeVaultFile(path, body);
    await rm(journal, { force: true });
  },
  journal: {
    append: (header, records) => appendFileDurably(journal, journalLine(header, records)),
    // Folds often, so that kills land in folds as well as in appends.
    foldAfterMs: 3,
    foldFailed: (error) => process.stderr.write(`fold failed: ${String(error)}\n`),
  },
});
process.stdout.write('ready\n');
// Bounded so that a parent that never kills (a bug in the test) does not leave a writer running for ever.
for (let i = 0; i < 100_000; i++) {
  const service = `w${run}-${i}`;
  const { entry } = await vault.addEntry({ service, secret: ENTRY_SECRET }, { allowDuplicate: true });
  process.stdout.write(`ack ${entry.id} ${service}\n`);
}
