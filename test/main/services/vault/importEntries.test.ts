// OpenVault.importEntries: an accepted import in one write, its groups by name, all or nothing.

import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestVault, type OpenTestVault } from './openTestVault.js';

let t: OpenTestVault | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const totp = (service: string, secret: string) => ({
  otp_type: 'totp' as const,
  service,
  account: 'ada',
  secret,
  digits: 6,
  algorithm: 'sha1' as const,
  period: 30,
});

describe('OpenVault.importEntries', () => {
  it('adds every entry in one write, creating each named group once and reusing one whatever its case', async () => {
    t = await openTestVault();
    const work = await t.vault.createGroup('Work');
    const before = await readFile(t.file);
    const result = await t.vault.importEntries([
      { input: totp('GitHub', 'JBSWY3DPEHPK3PXP'), groups: ['work', 'Code'] },
      { input: totp('GitLab', 'KRSXG5CTMVRXEZLU'), groups: ['Code'], note: 'from Aegis' },
    ]);
    expect(result.added.map((e) => e.service)).toEqual(['GitHub', 'GitLab']);
    expect(result.createdGroups.map((g) => g.name)).toEqual(['Code']);
    const disk = await t.onDisk();
    const code = [...disk.groups.values()].find((g) => g.name === 'Code')!;
    const github = [...disk.entries.values()].find((e) => e.service === 'GitHub')!;
    expect(new Set(github.groups)).toEqual(new Set([work.id, code.id]));
    expect([...disk.entries.values()].find((e) => e.service === 'GitLab')!.note).toBe('from Aegis');
    // One write: the file before the import is the newest backup.
    expect(await readFile(`${t.file}.bak-1`)).toEqual(before);
  });

  it('writes nothing when one entry fails its check', async () => {
    t = await openTestVault();
    const before = await readFile(t.file);
    await expect(
      t.vault.importEntries([
        { input: totp('GitHub', 'JBSWY3DPEHPK3PXP'), groups: [] },
        { input: { ...totp('Bad', 'JBSWY3DPEHPK3PXP'), digits: 11 }, groups: [] },
      ]),
    ).rejects.toMatchObject({ name: 'VaultEntryError', field: 'digits' });
    expect(await readFile(t.file)).toEqual(before);
    expect(t.vault.entries()).toEqual([]);
  });
});
