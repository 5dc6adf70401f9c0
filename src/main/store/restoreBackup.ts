// Puts one backup of a data file back in its place, atomically and under the file's lock, keeping the replaced file aside.

import { copyFile } from 'node:fs/promises';
import { withFileLock } from './fileLock.js';
import { loadJsonFile, type JsonFileSpec } from './loadJsonFile.js';
import { refuseSymlink } from './refuseSymlink.js';
import { writeFileAtomic } from './writeFileAtomic.js';

export interface RestoreBackupOptions<T> extends JsonFileSpec<T> {
  file: string;
  /** The backup's path (one listBackups found). */
  backup: string;
  /** For the name the replaced file is kept under. @default Date.now */
  now?: () => number;
}

export interface RestoreBackupResult<T> {
  /** What the file holds now. */
  value: T;
  /** Where the file that was replaced went (`<file>.replaced-<time>`); undefined when there was none. */
  keptAside: string | undefined;
}

/**
 * Refuses a backup that does not load itself. The file in place, damaged or not, is copied aside first, so nothing is
 * lost by a restore: it can be inspected, or put back the same way. Backups are not rotated by the restore.
 */
export async function restoreBackup<T>(options: RestoreBackupOptions<T>): Promise<RestoreBackupResult<T>> {
  const { file, backup } = options;
  return withFileLock(file, async () => {
    const loaded = await loadJsonFile(options, backup);
    if (!loaded.ok)
      throw new Error(`${backup} cannot be restored: ${loaded.missing ? 'it does not exist' : loaded.problem}`);
    await refuseSymlink(file);
    const stamp = new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
    let keptAside: string | undefined = `${file}.replaced-${stamp}`;
    try {
      await copyFile(file, keptAside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      keptAside = undefined;
    }
    // The content that was checked, not a second read of the backup that could differ from it.
    await writeFileAtomic(file, `${JSON.stringify(loaded.value, null, 2)}\n`);
    return { value: loaded.value, keptAside };
  });
}
