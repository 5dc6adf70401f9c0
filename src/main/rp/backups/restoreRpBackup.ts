// Puts a backup of relying-party.json back in place, the replaced file kept aside, and says what the folder holds now.

import { join } from 'node:path';
import { backupPath } from '../../store/backupPath.js';
import { restoreBackup } from '../../store/restoreBackup.js';
import { MIN_SCRYPT_PARAMS, type ScryptParams } from '../../secrets/scrypt.js';
import { countRpContent, type RpContentCount } from './countRpContent.js';
import { RP_STORE_FILE_NAME } from '../rpStoreFile.js';
import { rpStoreSpec } from '../rpStoreSpec.js';

export interface RestoreRpBackupOptions {
  dataDir: string;
  /** Which backup: 1 is the newest (see listRpBackups). */
  generation: number;
  /** @default MIN_SCRYPT_PARAMS */
  minScrypt?: ScryptParams;
}

export interface RestoreRpBackupResult {
  file: string;
  restored: string;
  /** Where the replaced file went; undefined when there was none. */
  keptAside: string | undefined;
  content: RpContentCount;
}

/** Quit the app first or let it refresh: a running Latchkey takes the restored file in at its next operation. */
export async function restoreRpBackup(options: RestoreRpBackupOptions): Promise<RestoreRpBackupResult> {
  const file = join(options.dataDir, RP_STORE_FILE_NAME);
  const restored = backupPath(file, options.generation);
  const result = await restoreBackup({
    ...rpStoreSpec(options.minScrypt ?? MIN_SCRYPT_PARAMS),
    file,
    backup: restored,
  });
  return { file, restored, keptAside: result.keptAside, content: countRpContent(result.value) };
}
