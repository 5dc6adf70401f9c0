// What tells a process that another one wrote a file since it read it, without reading it again.

import { lstat } from 'node:fs/promises';

/** `ino:size:mtimeNs` of the file itself, or undefined when there is none. */
export type FileVersion = string | undefined;

/**
 * Inode, size and modification time of the file itself (a link is not followed): an atomic write (a rename over it)
 * gives a new inode, an append a new size and time.
 */
export async function fileVersion(file: string): Promise<FileVersion> {
  try {
    const info = await lstat(file, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
