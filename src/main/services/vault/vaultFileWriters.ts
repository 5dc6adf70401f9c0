// How a session writes its vault: whole files and journal appends, each under the vault file's lock and only over the
// file and journal as the session last read or wrote them, so that two writers (the app and a command) never undo
// each other's changes.

import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { appendFileDurably } from '../../store/appendFileDurably.js';
import { withFileLock } from '../../store/fileLock.js';
import { fileVersion } from '../../store/fileVersion.js';
import { writeVaultFile } from '../../vault/file/vaultFileIo.js';
import { journalLine } from '../../vault/file/vaultJournal.js';
import type { VaultBody } from '../../vault/file/vaultText.js';
import type { VaultJournal } from './OpenVault.js';
import { VaultChangedError } from './VaultChangedError.js';

export interface VaultFileWriters {
  /** OpenVault's `write`: the file written whole (with its rolling backups), then the journal removed. */
  write(file: string, body: VaultBody): Promise<void>;
  /** OpenVault's `journal`. */
  journal: VaultJournal;
  /** The file and journal as last read or written here (vaultVersion); undefined while there is no vault file. */
  seen: string | undefined;
}

/**
 * Both writers refuse with VaultChangedError, writing nothing, when the file or the journal changed since `seen`:
 * the change was worked out on an older state (refresh, then do it again). A fold refused so is not reported: the
 * other writer read the journal, so its file holds the journal's changes or its next fold will.
 */
export function vaultFileWriters(options: {
  file: string;
  journal: string;
  seen: string | undefined;
  warn(message: string): void;
  foldAfterMs?: number;
}): VaultFileWriters {
  const { file, journal: journalFile, warn } = options;
  const unchanged = async () => {
    if (writers.seen !== undefined && (await vaultVersion(file, journalFile)) !== writers.seen)
      throw new VaultChangedError();
  };
  const writers: VaultFileWriters = {
    seen: options.seen,
    async write(path, body) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await withFileLock(path, async () => {
        await unchanged();
        await writeVaultFile(path, body);
        // Everything the journal held is in the file now. A crash before this leaves it to the next open, which finds
        // its records in the file already.
        await rm(journalFile, { force: true });
        writers.seen = await vaultVersion(path, journalFile);
      });
    },
    journal: {
      append: (header, records) =>
        withFileLock(file, async () => {
          await unchanged();
          await appendFileDurably(journalFile, journalLine(header, records));
          writers.seen = await vaultVersion(file, journalFile);
        }),
      ...(options.foldAfterMs === undefined ? {} : { foldAfterMs: options.foldAfterMs }),
      foldFailed: (error) => {
        if (error instanceof VaultChangedError) return;
        warn(
          `the latest vault changes are safe in its journal but not yet in the vault file (they go in at the next change or sign-in): ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    },
  };
  return writers;
}

/**
 * The vault's identity and last change, its journal's included (an append changes its size); undefined when there is
 * no vault file.
 */
export async function vaultVersion(file: string, journal: string): Promise<string | undefined> {
  const [vault, appended] = await Promise.all([fileVersion(file), fileVersion(journal)]);
  return vault === undefined ? undefined : `${vault} ${appended ?? 'no journal'}`;
}
