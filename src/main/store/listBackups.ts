// The backups of a data file that exist, newest first, each with when it was saved and whether it loads.

import { lstat } from 'node:fs/promises';
import { backupPath } from './backupPath.js';
import { loadJsonFile, type JsonFileSpec } from './loadJsonFile.js';

export interface ListBackupsOptions<T> extends JsonFileSpec<T> {
  file: string;
  /** How many generations are kept (`<file>.bak-1` ... `.bak-N`). @default 5 */
  backups?: number;
}

export interface BackupInfo<T> {
  path: string;
  /** 1 is the newest. */
  generation: number;
  /** When its content was current: the backup is a copy taken just before the file was next replaced. */
  savedAt: Date;
  /** The content when it loads cleanly (schema and checks passed). */
  value?: T;
  /** Why it does not load, never quoting it. */
  problem?: string;
}

export interface BackupList<T> {
  /** Every name looked for, found or not. */
  searched: string[];
  /** The backups that exist, newest first. */
  found: BackupInfo<T>[];
}

export async function listBackups<T>(options: ListBackupsOptions<T>): Promise<BackupList<T>> {
  const searched: string[] = [];
  const found: BackupInfo<T>[] = [];
  for (let generation = 1; generation <= (options.backups ?? 5); generation++) {
    const path = backupPath(options.file, generation);
    searched.push(path);
    const loaded = await loadJsonFile(options, path);
    if (!loaded.ok && loaded.missing) continue;
    let savedAt: Date;
    try {
      savedAt = (await lstat(path)).mtime;
    } catch (error) {
      // Removed between the two looks (another process rotating): as if it had not been there.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    found.push(
      loaded.ok
        ? { path, generation, savedAt, value: loaded.value }
        : { path, generation, savedAt, problem: loaded.problem },
    );
  }
  return { searched, found };
}
