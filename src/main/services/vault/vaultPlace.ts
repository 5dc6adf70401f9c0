// Where an account's vault lives in the data folder, and this install's clock for the changes it writes.

import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HybridLogicalClock } from '../../vault/clock/HybridLogicalClock.js';

/** The folder a person may sync between desktops (Syncthing, Nextcloud): the vaults and nothing else. */
export const VAULTS_FOLDER = 'vaults';
/**
 * This install's id for the vault clocks. It sits beside the relying party's file, outside the synced folder: two
 * desktops syncing `vaults/` must not share it, or their changes made in the same millisecond would tie.
 */
const INSTALL_ID_FILE = 'install-id';

/** The vault file of an account: `vaults/<user id>.json` (a UUID, so always a safe file name). */
export function accountVaultFile(dataDir: string, userId: string): string {
  if (!/^[0-9a-f-]{36}$/.test(userId))
    throw new RangeError(`an account id is a lower-case UUID, got ${userId.length} characters that are not one`);
  return join(dataDir, VAULTS_FOLDER, `${userId}.json`);
}

/** A clock for this install, its device id created on first use. */
export async function installClock(dataDir: string): Promise<HybridLogicalClock> {
  const file = join(dataDir, INSTALL_ID_FILE);
  let id = await readInstallId(file);
  if (id === undefined) {
    await mkdir(dataDir, { recursive: true });
    try {
      // wx: two processes starting at once both read the winner's id below rather than each keeping its own.
      await writeFile(file, `${randomUUID()}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    id = await readInstallId(file);
  }
  if (id === undefined) throw new Error(`${file} does not hold an install id (a UUID); delete it to make a new one`);
  return new HybridLogicalClock({ device: id });
}

async function readInstallId(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const id = text.trim();
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}
