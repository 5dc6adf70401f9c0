// Reads and writes the vault file: atomically, with rolling backups, through the store's writer.

import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../store/writeFileAtomic.js';
import { parseVaultFile, vaultFileParts, type VaultBody } from './vaultText.js';
import type { VaultFile } from './vaultFileSchema.js';

export interface WriteVaultOptions {
  /** Previous versions kept as `<file>.bak-1` (newest) to `<file>.bak-N`. @default 5 */
  backups?: number;
}

/** Throws VaultDamagedError or VaultVersionError for a file that fails the keyless checks (see parseVaultFile). */
export async function readVaultFile(file: string): Promise<VaultFile> {
  return parseVaultFile(await readFile(file));
}

export async function writeVaultFile(file: string, body: VaultBody, options: WriteVaultOptions = {}): Promise<void> {
  await writeFileAtomic(file, vaultFileParts(body), { backups: options.backups ?? 5 });
}
