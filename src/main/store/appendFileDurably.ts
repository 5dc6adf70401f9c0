// Appends bytes to a file and returns once they are on disk: the cheap way to make a small change durable, where
// replacing a large file (writeFileAtomic) would rewrite all of it.

import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { refuseSymlink } from './refuseSymlink.js';
import { syncFolder } from './syncFolder.js';

/**
 * A crash during the append leaves the bytes before it as they were and, at the end, a prefix of `data` that the
 * reader must recognise as unfinished (the journal's lines end with a newline, written last). The file is created
 * with `mode` when missing, and its folder synced then, so that the new name survives a power cut too.
 */
export async function appendFileDurably(
  file: string,
  data: Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const mode = options.mode ?? 0o600;
  await refuseSymlink(file);
  let handle;
  try {
    handle = await open(file, 'a', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    handle = await open(file, 'a', mode);
  }
  let created: boolean;
  try {
    const size = (await handle.stat()).size;
    created = size === 0;
    try {
      const { bytesWritten } = await handle.write(data, 0, data.length);
      // libuv loops over short writes, so a shortfall is a full disk.
      if (bytesWritten !== data.length)
        throw new Error(`the disk took ${bytesWritten} of ${data.length} bytes appended to ${file}`);
      await handle.datasync();
    } catch (error) {
      // A part written would be a cut line that the next append runs into: take it back, as far as the disk lets.
      await handle.truncate(size).catch(() => undefined);
      throw error;
    }
  } finally {
    await handle.close();
  }
  if (created) await syncFolder(dirname(file));
}
