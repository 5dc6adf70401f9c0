// Finds the newest backup of a vault that opens with the given factors, for the damage tests: the file layer has no
// backup listing of its own yet (the store's listBackups checks only a schema, not the vault's checksum and tags).

import { stat } from 'node:fs/promises';
import { backupPath } from '../../../../src/main/store/backupPath.js';
import { openEntries } from '../../../../src/main/vault/file/entryRecords.js';
import { readVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import { unlock, type UnlockFactors } from '../../../../src/main/vault/slots/unlock.js';
import { CHEAP } from '../slots/testVault.js';

export interface FoundBackup {
  path: string;
  /** 1 is the newest. */
  generation: number;
  savedAt: Date;
  entryIds: string[];
}

export interface BackupSearch {
  found?: FoundBackup;
  /** Each backup that exists but does not open, newest first, with why (the error's message, never the content). */
  refused: { path: string; problem: string }[];
}

/** Looks at `<file>.bak-1` to `<file>.bak-<backups>` (default 5, as writeVaultFile keeps), newest first. */
export async function newestBackupThatOpens(file: string, factors: UnlockFactors, backups = 5): Promise<BackupSearch> {
  const refused: BackupSearch['refused'] = [];
  for (let generation = 1; generation <= backups; generation++) {
    const path = backupPath(file, generation);
    let savedAt: Date;
    try {
      savedAt = (await stat(path)).mtime;
    } catch {
      continue;
    }
    try {
      const vault = await unlock(await readVaultFile(path), factors, { minArgon2: CHEAP });
      const entryIds = openEntries(vault).map((e) => e.id);
      return { found: { path, generation, savedAt, entryIds }, refused };
    } catch (error) {
      refused.push({ path, problem: (error as Error).message });
    }
  }
  return { refused };
}
