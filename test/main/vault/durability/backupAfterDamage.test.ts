// Issue #10, reliability: after damage the vault file is refused and left as it is, and the newest backup that opens
// is found and named, skipping backups that are damaged too.

import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VaultDamagedError } from '../../../../src/main/vault/errors/VaultDamagedError.js';
import { putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { readVaultFile, writeVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import { entryJson, PASSWORD, testVault, type TestVault } from '../slots/testVault.js';
import { newestBackupThatOpens } from './newestBackupThatOpens.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const versionId = (i: number) => `00000000-0000-4000-8000-0000000003${i}0`;

/** A vault written five times: the file holds versions 0 to 4 (2 + 5 entries), bak-1 version 3 ... bak-4 version 0. */
async function writtenFiveTimes(): Promise<{ file: string; t: TestVault }> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-vault-backup-'));
  dirs.push(dir);
  const file = join(dir, 'vault.json');
  const t = await testVault('password-and-key', 2);
  let vault = t.vault;
  for (let i = 0; i < 5; i++) {
    vault = putEntry(vault, { id: versionId(i), data: entryJson(`v${i}`) }, t.clock.tick());
    await writeVaultFile(file, vault.body);
  }
  return { file, t };
}

async function flipByte(path: string, at: (length: number) => number): Promise<void> {
  const data = await readFile(path);
  const i = at(data.length);
  data[i] = data[i]! ^ 0x04;
  await writeFile(path, data);
}

const damages: [string, (path: string) => Promise<void>][] = [
  ['a byte changed in the middle', (p) => flipByte(p, (n) => n >> 1)],
  ['a byte changed near the end', (p) => flipByte(p, (n) => n - 10)],
  ['the file cut short', async (p) => truncate(p, 100)],
  ['the file emptied', async (p) => truncate(p, 0)],
];

describe('after damage, the newest backup that opens', () => {
  it.each(damages)(
    'is bak-2 when the file has %s and bak-1 is damaged too; the file is left as it was',
    async (_what, damage) => {
      const { file, t } = await writtenFiveTimes();
      await damage(file);
      await flipByte(`${file}.bak-1`, (n) => n >> 2);
      const damaged = await readFile(file);

      const error = await readVaultFile(file).then(
        () => new Error('the damaged file was read'),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VaultDamagedError);
      expect((error as Error).message).toMatch(/Latchkey has not changed it; restore a backup\.$/);
      expect(await readFile(file)).toEqual(damaged);

      // password-and-key: the password and the key together, as the account signs in.
      const search = await newestBackupThatOpens(file, { password: PASSWORD, keys: [t.key.answer(t.salt, true)] });
      expect(search.refused.map((r) => r.path)).toEqual([`${file}.bak-1`]);
      expect(search.refused[0]!.problem).toMatch(/^The vault file is damaged: /);
      expect(search.found?.path).toBe(`${file}.bak-2`);
      expect(search.found?.generation).toBe(2);
      // bak-2 holds version 2: the two first entries and versions 0, 1 and 2.
      expect(search.found?.entryIds.sort()).toEqual(
        [
          '00000000-0000-4000-8000-000000000000',
          '00000000-0000-4000-8000-000000000001',
          versionId(0),
          versionId(1),
          versionId(2),
        ].sort(),
      );
      expect(await readFile(file)).toEqual(damaged);
    },
  );

  it('is bak-1 when only the file is damaged, and none is found when every backup is damaged', async () => {
    const { file, t } = await writtenFiveTimes();
    const factors = { password: PASSWORD, keys: [t.key.answer(t.salt, true)] };
    await flipByte(file, (n) => n >> 1);
    expect((await newestBackupThatOpens(file, factors)).found?.path).toBe(`${file}.bak-1`);
    for (let g = 1; g <= 4; g++) await flipByte(`${file}.bak-${g}`, (n) => n >> 1);
    const search = await newestBackupThatOpens(file, factors);
    expect(search.found).toBeUndefined();
    expect(search.refused).toHaveLength(4);
  });

  it('is not one that the factors do not open: a wrong password is no reason to pick an older backup', async () => {
    const { file, t } = await writtenFiveTimes();
    await flipByte(file, (n) => n >> 1);
    const search = await newestBackupThatOpens(file, { password: 'wrong', keys: [t.key.answer(t.salt, true)] });
    expect(search.found).toBeUndefined();
    expect(search.refused.map((r) => r.problem).every((p) => !p.includes('damaged'))).toBe(true);
  });
});
