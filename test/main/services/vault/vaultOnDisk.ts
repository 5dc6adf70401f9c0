// An account's vault as the data folder holds it, for the lifecycle tests: the file parsed (no key needed), and every
// file of it Latchkey keeps (the vault and its backups).

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { accountVaultFile } from '../../../../src/main/services/vault/vaultPlace.js';
import { parseVaultFile } from '../../../../src/main/vault/file/vaultText.js';

export async function vaultBody(dataDir: string, userId: string) {
  return parseVaultFile(await readFile(accountVaultFile(dataDir, userId)));
}

export async function vaultFiles(dataDir: string, userId: string): Promise<string[]> {
  const file = accountVaultFile(dataDir, userId);
  const folder = join(dataDir, 'vaults');
  return (await readdir(folder)).map((n) => join(folder, n)).filter((path) => path.startsWith(file));
}
