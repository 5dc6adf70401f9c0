// The error for a data file that cannot be loaded: which file, what is wrong, and what to do about it, which depends on what is wrong.

import { basename } from 'node:path';
import { describeAge } from './describeAge.js';
import type { DamageKind } from './loadJsonFile.js';

export interface DamagedStoreErrorOptions {
  /** The file that failed to load; it was left exactly as it was. */
  file: string;
  /** What is wrong with it, in a few words, never quoting its content. */
  problem: string;
  /** `missing`: the file is gone although backups of it exist. */
  kind: DamageKind | 'missing';
  /** The newest backup that loads cleanly, and when it was saved. */
  backup?: { path: string; savedAt: Date };
  /** Every backup file name that was looked for, to name them when none is usable. */
  backupsSearched: readonly string[];
  /** How to restore a backup with the tools at hand (e.g. a command). @default copy it over the file by hand */
  restoreAdvice?: string;
  /** The clock, for the backup's age. @default Date.now */
  now?: number;
  cause?: unknown;
}

export class DamagedStoreError extends Error {
  override readonly name = 'DamagedStoreError';
  readonly file: string;
  readonly problem: string;
  readonly kind: DamageKind | 'missing';
  /** The newest backup that loads cleanly, if any (named in the message only when restoring is the advice). */
  readonly backup: string | undefined;
  readonly backupSavedAt: Date | undefined;
  readonly backupsSearched: readonly string[];

  constructor(options: DamagedStoreErrorOptions) {
    super(DamagedStoreError.explain(options), options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.problem = options.problem;
    this.kind = options.kind;
    this.backup = options.backup?.path;
    this.backupSavedAt = options.backup?.savedAt;
    this.backupsSearched = options.backupsSearched;
  }

  private static explain(options: DamagedStoreErrorOptions): string {
    const { file, problem, kind, backup } = options;
    const head = `${file} cannot be loaded: ${problem}. Latchkey has not changed it.`;
    switch (kind) {
      case 'permissions':
        return `${head} This is a permissions problem, not damage, so do not restore a backup: give your user read and write access to the file (on Linux and macOS, chown it to yourself and chmod 600 it).`;
      case 'symlink':
        return `${head} Put the file itself in place of the link (or point --data-dir at the folder the link leads to); a backup is not needed.`;
      case 'newer-version':
        return `${head} Upgrade Latchkey to the version that wrote it (or newer); do not restore a backup, which would lose everything that version wrote.`;
      case 'unreadable':
        return `${head} The disk or the file system refused to read it: check them before anything else.`;
      case 'damaged':
      case 'missing':
        break;
    }
    if (backup) {
      const age = describeAge(Math.max(0, (options.now ?? Date.now()) - backup.savedAt.getTime()));
      const how =
        options.restoreAdvice ?? `quit Latchkey, move the damaged file aside and copy ${backup.path} over ${file}`;
      return `${head} The newest backup that loads, ${basename(backup.path)}, was saved ${backup.savedAt.toISOString()} (${age} ago): restoring it loses every change made since then. To restore: ${how}.`;
    }
    const names = options.backupsSearched.length ? options.backupsSearched.map((b) => basename(b)).join(', ') : 'none';
    return `${head} No usable backup was found (looked for ${names}). Move the damaged file aside to start afresh; its accounts and keys are then forgotten.`;
  }
}
