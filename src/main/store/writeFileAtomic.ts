// Replaces a file so that a crash leaves either the old or the new content: temp file, fsync, rename, fsync the folder.

import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, open, rename, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { backupPath } from './backupPath.js';
import { refuseSymlink } from './refuseSymlink.js';
import { syncFolder } from './syncFolder.js';

export interface WriteFileAtomicOptions {
  /**
   * Keep this many previous versions as `<file>.bak-1` (newest) to `<file>.bak-N`; the current file becomes bak-1
   * before it is replaced. @default 0
   */
  backups?: number;
  /**
   * Rotate only when the newest backup is at least this old, so the N backups span N stretches of activity rather than
   * the last N writes (a busy minute of sign-ins would otherwise push every older version out). @default 0
   */
  backupIntervalMs?: number;
  /** Permissions of a newly created file. @default 0o600 (only the user: these files hold password hashes) */
  mode?: number;
}

/**
 * Throws SymlinkedFileError when `file` is a symbolic link: the rename would replace the link with a regular file,
 * silently moving the data away from where the link pointed.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const { backups = 0, backupIntervalMs = 0, mode = 0o600 } = options;
  await refuseSymlink(file);
  const dir = dirname(file);
  // Same folder as the target, so the rename never crosses file systems; a unique name, so writers never share it.
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    try {
      await writeAndSync(temp, data, mode);
    } catch (error) {
      // The folder is created on the first write only: a mkdir on every write costs a round trip to the disk thread.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeAndSync(temp, data, mode);
    }
    if (backups > 0 && (await backupDue(file, backupIntervalMs)) && (await exists(file)))
      await rotateBackups(file, backups, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dir);
}

/** `data` given as parts is written by one gathered write (writev), so a large file is never copied to one buffer. */
async function writeAndSync(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
  mode: number,
): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else await writeAll(handle, data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAll(handle: FileHandle, parts: readonly Uint8Array[]): Promise<void> {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const { bytesWritten } = await handle.writev(parts as Uint8Array[]);
  // libuv writes every part, looping over short writes; a shortfall would be a partial file that passes for whole.
  if (bytesWritten !== total) throw new Error(`the disk took ${bytesWritten} of ${total} bytes; nothing was replaced`);
}

async function backupDue(file: string, intervalMs: number): Promise<boolean> {
  if (intervalMs <= 0) return true;
  try {
    return Date.now() - (await stat(backupPath(file, 1))).mtimeMs >= intervalMs;
  } catch {
    return true;
  }
}

/**
 * bak-(N-1) -> bak-N ... bak-1 -> bak-2, then the current file becomes bak-1: a hard link to it where the file system
 * has them. The writer never changes a file in place (it renames a new one over it), so a link is as good as a copy and
 * costs no bytes: a 10,000-entry vault is 8 MB, which a copy writes and syncs on every save.
 */
async function rotateBackups(file: string, keep: number, mode: number): Promise<void> {
  for (let generation = keep - 1; generation >= 1; generation--) {
    const from = backupPath(file, generation);
    if (await exists(from)) await rename(from, backupPath(file, generation + 1));
  }
  try {
    await link(file, backupPath(file, 1));
    // Dated when it became a backup, as a copy is: listings say what changed since (audit events after that date),
    // and the version's own write date would count the change it holds, whose event is recorded just after it.
    const now = new Date();
    await utimes(backupPath(file, 1), now, now);
    return;
  } catch (error) {
    // FAT and exFAT have no hard links, some network shares refuse them, and a stale bak-1 (EEXIST) is left by a crash
    // between the rotation and the link: the copy below replaces it.
    if (
      !['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EEXIST', 'ENOSYS'].includes(
        (error as NodeJS.ErrnoException).code ?? '',
      )
    )
      throw error;
  }
  // Copied through a temp file so a crash never leaves a half-written bak-1 that looks like a backup.
  const temp = `${backupPath(file, 1)}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await copyFile(file, temp);
    const handle = await open(temp, 'r+', mode);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, backupPath(file, 1));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
