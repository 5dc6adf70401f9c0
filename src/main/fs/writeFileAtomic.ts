// Replaces a file so that a crash leaves either the old or the new content, never half of one: temp file, fsync, rename.

import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface WriteFileAtomicOptions {
  /** Permissions of the new file. @default 0o600 (what Latchkey writes holds secrets) */
  mode?: number;
}

/**
 * Writes `data` to a temporary file beside `path` (same directory, so the rename cannot cross file systems), flushes
 * it to disk, renames it over `path`, then flushes the directory so the rename itself survives a power cut.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteFileAtomicOptions = {}): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const file = await open(temp, 'wx', opts.mode ?? 0o600);
  try {
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Windows cannot open a directory for fsync (EPERM/EISDIR); its rename is already durable enough there. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on this platform or file system.
  } finally {
    await handle?.close();
  }
}
