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

describe('icons from an import', () => {
  it('are kept as pictures of their own (favourites too), survive a reopen, go to 2FAuth and Aegis exports, and go with their entry', async () => {
    t = await openTestVault();
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const { added } = await t.vault.importEntries([
      {
        input: totp('GitHub', 'JBSWY3DPEHPK3PXP'),
        groups: [],
        icon: { mime: 'image/png', data: png },
        favourite: true,
      },
    ]);
    const iconId = added[0]!.icon!;
    expect(iconId).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.vault.icon(iconId)).toEqual({ mime: 'image/png', data: png });

    const { OpenVault } = await import('../../../../src/main/services/vault/OpenVault.js');
    const { readVaultFile } = await import('../../../../src/main/vault/file/vaultFileIo.js');
    const { HybridLogicalClock } = await import('../../../../src/main/vault/clock/HybridLogicalClock.js');
    const reopened = OpenVault.open({
      file: t.file,
      vault: { body: await readVaultFile(t.file), master: Buffer.from(t.vault.current.master) },
      clock: new HybridLogicalClock({ device: 'test' }),
    });
    expect(reopened.icon(iconId)?.data).toEqual(png);

    const { exportVault } = await import('../../../../src/main/services/vault/exportVault.js');
    const exported = await exportVault(reopened.forExport(), {
      format: '2fauth',
      params: { m: 64, t: 1, p: 1 },
      clock: new HybridLogicalClock({ device: 'test' }),
    });
    const twoFauth = JSON.parse(exported.files[0]!.toString('utf8')) as {
      data: { icon_mime?: string; icon_file?: string }[];
    };
    expect(twoFauth.data[0]).toMatchObject({ icon_mime: 'image/png', icon_file: png.toString('base64') });
    expect(reopened.entries()[0]!.favourite).toBe(true);
    const aegis = await exportVault(reopened.forExport(), {
      format: 'aegis',
      params: { m: 64, t: 1, p: 1 },
      clock: new HybridLogicalClock({ device: 'test' }),
    });
    const aegisEntry = (JSON.parse(aegis.files[0]!.toString('utf8')) as { db: { entries: Record<string, unknown>[] } })
      .db.entries[0]!;
    expect(aegisEntry).toMatchObject({ favorite: true, icon_mime: 'image/png', icon: png.toString('base64') });
    reopened.lock();

    await t.vault.removeEntry(added[0]!.id);
    expect(t.vault.icon(iconId)).toBeUndefined();
    const disk = await readVaultFile(t.file);
    expect(disk.entries[iconId]?.deleted).toBe(true);
  });
});
