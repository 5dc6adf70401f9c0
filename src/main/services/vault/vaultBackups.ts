// The rolling backups of an account's vault: listed with their dates and what they hold, and one put back in place.

import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { backupPath } from '../../store/backupPath.js';
import { writeFileAtomic } from '../../store/writeFileAtomic.js';
import { parseVaultFile } from '../../vault/file/vaultText.js';
import type { VaultBody } from '../../vault/file/vaultText.js';

export interface VaultBackup {
  /** 1 is the newest. */
  generation: number;
  path: string;
  savedAt: Date;
  /** What it holds (records: entries and groups), when it passes the checks that need no key (checksum, version, format); else why not. */
  content?: { records: number; slots: number; mode: string; epoch: number };
  problem?: string;
}

/** The `<file>.bak-N` files there are, newest (1) first: their numbers and paths, nothing read. */
export async function vaultBackupFiles(file: string): Promise<{ generation: number; path: string }[]> {
  const prefix = `${basename(file)}.bak-`;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  return names
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .map((n) => Number(n.slice(prefix.length)))
    .sort((a, b) => a - b)
    .map((generation) => ({ generation, path: backupPath(file, generation) }));
}

/** Every `<file>.bak-N`, newest first. Never quotes a file's content. */
export async function listVaultBackups(file: string): Promise<VaultBackup[]> {
  const backups: VaultBackup[] = [];
  for (const { generation, path } of await vaultBackupFiles(file)) {
    const savedAt = (await stat(path)).mtime;
    try {
      const body = parseVaultFile(await readFile(path));
      backups.push({ generation, path, savedAt, content: contentOf(body) });
    } catch (error) {
      backups.push({ generation, path, savedAt, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return backups;
}

/**
 * Puts backup `generation` in place of the vault. The file in place is not lost: it becomes the newest backup, as
 * every write keeps the one it replaces. A backup that fails the keyless checks is refused, naming why.
 */
export async function restoreVaultBackup(file: string, generation: number): Promise<VaultBackup> {
  const backups = await listVaultBackups(file);
  const backup = backups.find((b) => b.generation === generation);
  if (!backup)
    throw new RangeError(
      backups.length === 0
        ? `${file} has no backup to restore`
        : `there is no backup ${generation} of ${file}; there are ${backups.map((b) => b.generation).join(', ')}`,
    );
  if (!backup.content) throw new RangeError(`backup ${generation} cannot be restored: ${backup.problem ?? 'damaged'}`);
  const data = await readFile(backup.path);
  // Checked again as read now: the listing and the copy must be of the same bytes.
  parseVaultFile(data);
  await writeFileAtomic(file, data, { backups: Math.max(5, backups.length) });
  return backup;
}

function contentOf(body: Omit<VaultBody, never>): NonNullable<VaultBackup['content']> {
  return {
    records: Object.values(body.entries).filter((r) => !r.deleted).length,
    slots: Object.values(body.slots).filter((s) => !s.deleted).length,
    mode: body.mode,
    epoch: body.epoch,
  };
}

/** For messages: the path of a backup relative to the vault's folder. */
export function backupName(backup: VaultBackup): string {
  return join(basename(dirname(backup.path)), basename(backup.path));
}
