// Keeps data files from being symbolic links: a check before use, and the open flag that makes the check race-free.

import { constants } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { SymlinkedFileError } from './SymlinkedFileError.js';

/**
 * O_NOFOLLOW where the OS has it (open fails with ELOOP on a link); 0 on Windows, where creating a link needs privileges
 * and refuseSymlink's lstat is the check.
 */
export const NO_FOLLOW: number = constants.O_NOFOLLOW ?? 0;

/** Throws SymlinkedFileError when `path` is a symbolic link; a missing file passes (it will be created as a regular one). */
export async function refuseSymlink(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSymbolicLink()) throw new SymlinkedFileError(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Whether an open with NO_FOLLOW failed because the path is a link (Linux ELOOP, some BSDs EMLINK). */
export function isSymlinkRefusal(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ELOOP' || code === 'EMLINK';
}
