// Makes the names in a folder durable: a rename or a new file survives a power cut only once its folder is synced.

import { open } from 'node:fs/promises';

/** Windows cannot open a folder for fsync; there NTFS journals the rename itself. */
export async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
