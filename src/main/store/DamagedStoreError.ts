// The error for a data file that cannot be loaded: which file, what is wrong, and which backup to restore.

import { basename } from 'node:path';

export class DamagedStoreError extends Error {
  override readonly name = 'DamagedStoreError';

  constructor(
    /** The file that failed to load; it was left exactly as it was. */
    readonly file: string,
    /** What is wrong with it, in a few words. */
    readonly problem: string,
    /** The newest backup that loads cleanly, if any. */
    readonly backup: string | undefined,
    /** Every backup file name that was looked for, to name them when none is usable. */
    readonly backupsSearched: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(DamagedStoreError.explain(file, problem, backup, backupsSearched), options);
  }

  private static explain(file: string, problem: string, backup: string | undefined, searched: readonly string[]): string {
    const head = `${file} cannot be loaded: ${problem}. Latchkey has not changed it.`;
    if (backup) {
      return `${head} To restore the last good copy, quit Latchkey and copy ${backup} over ${file} (keep the damaged file elsewhere if you want to inspect it).`;
    }
    const names = searched.length ? searched.map((b) => basename(b)).join(', ') : 'none';
    return `${head} No usable backup was found (looked for ${names}). Move the damaged file aside to start afresh; its accounts and keys are then forgotten.`;
  }
}
