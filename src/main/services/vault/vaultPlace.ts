// Where an account's vault lives in the data folder, and this install's clock for the changes it writes.

import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { HybridLogicalClock } from '../../vault/clock/HybridLogicalClock.js';

/** The folder a person may sync between desktops (Syncthing, Nextcloud): the vaults and nothing else. */
export const VAULTS_FOLDER = 'vaults';
/** What the data folder keeps only to be fast, and may lose: the vaults' open caches. */
const CACHE_FOLDER = 'cache';
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

/**
 * Where an account's open cache lives (docs/vault-format.md, "The open cache"): `cache/<user id>.open-cache`, outside
 * `vaults/`, since each desktop keeps its own and a synced copy would only be passed over.
 */
export function accountOpenCacheFile(dataDir: string, userId: string): string {
  return join(dataDir, CACHE_FOLDER, `${basename(accountVaultFile(dataDir, userId), '.json')}.open-cache`);
}

/**
 * Changes made but not yet written into the vault file: local to this desktop (the vault file is what syncs), and not
 * to be lost, unlike the cache.
 */
const JOURNAL_FOLDER = 'journal';

/**
 * Where an account's journal lives (docs/vault-format.md, "The journal"): `journal/<user id>.journal`, outside
 * `vaults/`, since a synced folder would copy it half-written and never merge it.
 */
export function accountJournalFile(dataDir: string, userId: string): string {
  return join(dataDir, JOURNAL_FOLDER, `${basename(accountVaultFile(dataDir, userId), '.json')}.journal`);
}

/** Far above the cache of any vault the import limits let in (10,000 entries make 3 MB): a bigger file is not ours. */
const MAX_OPEN_CACHE_BYTES = 256 * 1024 * 1024;

/** The open cache's bytes, or undefined when there is none or it cannot be read (opening then reads the vault). */
export async function readOpenCacheFile(file: string): Promise<Buffer | undefined> {
  try {
    if ((await stat(file)).size > MAX_OPEN_CACHE_BYTES) return undefined;
    return await readFile(file);
  } catch {
    return undefined;
  }
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
