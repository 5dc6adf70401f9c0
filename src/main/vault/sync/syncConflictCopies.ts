// Finds the conflict copies a synced folder keeps beside the vault file, so that they can be merged into it.

import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/**
 * Syncthing's conflict copy name: `<name>.sync-conflict-<yyyymmdd>-<hhmmss>-<7-character device id><ext>` (Syncthing
 * docs, "Conflicting Changes"). Only Syncthing's naming is recognised yet; Nextcloud and Dropbox name theirs otherwise.
 */
function conflictPattern(file: string): RegExp {
  const ext = extname(file);
  const stem = basename(file, ext);
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${quote(stem)}\\.sync-conflict-\\d{8}-\\d{6}-[A-Z0-9]{7}${quote(ext)}$`);
}

/** The paths of the conflict copies of `file` in its folder, sorted by name (oldest first, as the names hold the time). */
export async function syncConflictCopies(file: string): Promise<string[]> {
  const folder = dirname(file);
  const pattern = conflictPattern(file);
  const names = await readdir(folder);
  return names
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => join(folder, name));
}
