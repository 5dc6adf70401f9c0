// The journal file of an account's vault on disk: read and applied when the vault opens, appended to by each change,
// removed by each whole write of the vault (docs/vault-format.md, "The journal").

import { copyFile, readFile, stat } from 'node:fs/promises';
import { applyJournal } from '../../vault/sync/applyJournal.js';
import { parseJournal } from '../../vault/file/vaultJournal.js';
import type { UnlockedVault } from '../../vault/slots/unlock.js';

/**
 * Far above what the app lets a journal grow to (it folds the journal into the vault file after a second, or sooner
 * past a few hundred records): a bigger file was not written by it, and is set aside rather than read into memory.
 */
const MAX_JOURNAL_BYTES = 64 * 1024 * 1024;

export interface TakenJournal {
  /** The vault with the journal's changes applied (the one given when there were none). */
  vault: UnlockedVault;
  /** A journal file was there: the vault must be written whole, which removes it. */
  present: boolean;
  /** Changes that could not be applied, and where the journal was copied to keep them; one sentence. */
  warning?: string;
}

/**
 * Applies the journal at `path` to `vault`. A journal that is damaged, too large, or written for another vault or
 * key epoch is applied up to the first change that cannot be, and copied beside itself (`.unapplied-<time>`) before the
 * whole write removes it, so nothing is lost and the vault still opens; the warning says so. A line a crash cut short
 * (never acknowledged) is dropped.
 */
export async function takeJournal(vault: UnlockedVault, path: string): Promise<TakenJournal> {
  let data: Buffer;
  try {
    if ((await stat(path)).size > MAX_JOURNAL_BYTES)
      return { vault, present: true, warning: await setAside(path, 'it is too large to be one') };
    data = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { vault, present: false };
    throw error;
  }
  const read = parseJournal(data);
  const applied = applyJournal(vault, read.changes);
  const problem = applied.stopped
    ? `change ${applied.stopped.change} was not applied: ${applied.stopped.reason}`
    : read.damage && `change ${read.damage.change} is damaged: it ${read.damage.problem}`;
  if (!problem) return { vault: applied.vault, present: true };
  return { vault: applied.vault, present: true, warning: await setAside(path, problem) };
}

async function setAside(path: string, problem: string): Promise<string> {
  const aside = `${path}.unapplied-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await copyFile(path, aside);
  return `the vault's journal of recent changes could not be applied in full (${problem}); the changes before that were applied, and the journal is kept as ${aside}`;
}
