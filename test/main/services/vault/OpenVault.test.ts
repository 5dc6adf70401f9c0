// OpenVault over a real vault file: what is written, when, in which order, and what a failed write or a lock leaves.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOTP, Secret, TOTP } from 'otpauth';
import { HybridLogicalClock } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import { OpenVault } from '../../../../src/main/services/vault/OpenVault.js';
import { VaultLockedError } from '../../../../src/main/services/vault/VaultLockedError.js';
import { VaultEntryError } from '../../../../src/main/vault/entries/index.js';
import * as vaultFileIo from '../../../../src/main/vault/file/vaultFileIo.js';
import { readVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import { SECRET } from '../../vault/entries/entryFixtures.js';
import { openTestVault, type OpenTestVault } from './openTestVault.js';

vi.mock('../../../../src/main/vault/file/vaultFileIo.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../../src/main/vault/file/vaultFileIo.js')>();
  return { ...original, writeVaultFile: vi.fn(original.writeVaultFile) };
});

const writeVaultFile = vi.mocked(vaultFileIo.writeVaultFile);
const HOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

let t: OpenTestVault;
beforeEach(async () => {
  t = await openTestVault();
  writeVaultFile.mockClear();
});
afterEach(() => t.cleanup());

function deferred() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { gate, release };
}

describe('OpenVault', () => {
  it('adds entries from fields and from an otpauth URI, lists them without secrets, and writes each add', async () => {
    const a = await t.vault.addEntry({ service: 'GitHub', account: 'ada@example.org', secret: SECRET });
    const b = await t.vault.addEntry(`otpauth://hotp/Bank:ada?secret=${HOTP_SECRET}&counter=7&digits=8`);
    expect(writeVaultFile).toHaveBeenCalledTimes(2);
    expect(t.vault.entries().map((e) => [e.service, e.order])).toEqual([
      ['GitHub', 0],
      ['Bank', 1],
    ]);
    expect(JSON.stringify(t.vault.entries())).not.toContain(SECRET);
    expect(JSON.stringify([a, b])).not.toContain(HOTP_SECRET);
    const disk = await t.onDisk();
    expect(disk.entries.get(a.entry.id)?.secret).toBe(SECRET);
    expect(disk.entries.get(b.entry.id)).toMatchObject({ otp_type: 'hotp', counter: 7, digits: 8 });
    expect(t.vault.revealSecret(a.entry.id)).toEqual({
      secret: SECRET,
      uri: `otpauth://totp/GitHub:ada%40example.org?secret=${SECRET}&issuer=GitHub&algorithm=SHA1&digits=6&period=30`,
    });
  });

  it('refuses a duplicate (same secret, or same service and account) unless allowed, and then reports it', async () => {
    const first = await t.vault.addEntry({ service: 'GitHub', account: 'ada', secret: SECRET });
    await expect(t.vault.addEntry({ service: 'Other', secret: SECRET })).rejects.toMatchObject({
      field: 'entry',
      reason: 'duplicate',
      message: 'the entry "GitHub" ("ada") already holds this secret',
    });
    await expect(t.vault.addEntry({ service: 'github', account: 'ADA', secret: HOTP_SECRET })).rejects.toThrow(
      /same service and account/,
    );
    const added = await t.vault.addEntry({ service: 'Other', secret: SECRET }, { allowDuplicate: true });
    expect(added.duplicates).toEqual([{ entry: first.entry, reason: 'same-secret' }]);
    expect(t.vault.entries()).toHaveLength(2);
  });

  it('writes the advanced HOTP counter before it gives the code', async () => {
    const { entry } = await t.vault.addEntry({ otp_type: 'hotp', service: 'Bank', secret: HOTP_SECRET, counter: 7 });
    const { gate, release } = deferred();
    let written = false;
    writeVaultFile.mockImplementationOnce(async (...args) => {
      await gate;
      await vi
        .importActual<typeof vaultFileIo>('../../../../src/main/vault/file/vaultFileIo.js')
        .then((io) => io.writeVaultFile(...args));
      written = true;
    });
    let code: string | undefined;
    const pending = t.vault.nextHotp(entry.id).then((r) => {
      expect(written).toBe(true);
      code = r.code;
      return r;
    });
    await vi.waitFor(() => expect(writeVaultFile).toHaveBeenCalledTimes(2), { timeout: 5000 });
    expect(code).toBeUndefined();
    release();
    const result = await pending;
    const expected = HOTP.generate({ secret: Secret.fromBase32(HOTP_SECRET), counter: 7 });
    expect(result).toMatchObject({ code: expected, usedCounter: 7, entry: { counter: 8 } });
    expect((await t.onDisk()).entries.get(entry.id)?.counter).toBe(8);
  });

  it('gives no HOTP code and keeps the counter when the write fails', async () => {
    const { entry } = await t.vault.addEntry({ otp_type: 'hotp', service: 'Bank', secret: HOTP_SECRET, counter: 7 });
    writeVaultFile.mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' }));
    await expect(t.vault.nextHotp(entry.id)).rejects.toThrow(/ENOSPC/);
    expect(t.vault.entry(entry.id).counter).toBe(7);
    expect((await t.vault.nextHotp(entry.id)).usedCounter).toBe(7);
  });

  it('leaves the state as it was after a failed write of any change', async () => {
    const { entry } = await t.vault.addEntry({ service: 'GitHub', secret: SECRET });
    const group = await t.vault.createGroup('Work');
    const before = { entries: t.vault.entries(), groups: t.vault.groups() };
    const fail = () => writeVaultFile.mockRejectedValueOnce(new Error('EIO: i/o error'));
    fail();
    await expect(t.vault.addEntry({ service: 'New', secret: HOTP_SECRET })).rejects.toThrow(/EIO/);
    fail();
    await expect(t.vault.editEntry(entry.id, { service: 'Renamed' })).rejects.toThrow(/EIO/);
    fail();
    await expect(t.vault.removeEntry(entry.id)).rejects.toThrow(/EIO/);
    fail();
    await expect(t.vault.deleteGroup(group.id)).rejects.toThrow(/EIO/);
    fail();
    await expect(t.vault.assignGroup(entry.id, group.id)).rejects.toThrow(/EIO/);
    expect({ entries: t.vault.entries(), groups: t.vault.groups() }).toEqual(before);
    const disk = await t.onDisk();
    expect([...disk.entries.keys()]).toEqual([entry.id]);
    expect(disk.groups.get(group.id)?.name).toBe('Work');
  });

  it('serializes concurrent changes: none is lost in memory or on disk', async () => {
    const { entry } = await t.vault.addEntry({ otp_type: 'hotp', service: 'Bank', secret: HOTP_SECRET });
    const results = await Promise.all([
      ...['A', 'B', 'C', 'D'].map((s, i) =>
        t.vault.addEntry({ service: s, secret: `${HOTP_SECRET.slice(0, 31)}${'ABCD'[i]}` }),
      ),
      t.vault.nextHotp(entry.id),
      t.vault.nextHotp(entry.id),
      t.vault.createGroup('Work'),
    ]);
    expect(results.slice(4, 6).map((r) => (r as { usedCounter: number }).usedCounter)).toEqual([0, 1]);
    const disk = await t.onDisk();
    expect(disk.entries.size).toBe(5);
    expect(disk.entries.get(entry.id)?.counter).toBe(2);
    expect([...disk.groups.values()].map((g) => g.name)).toEqual(['Work']);
  });

  it('keeps groups in the file, and deleting a group keeps its entries', async () => {
    const { entry } = await t.vault.addEntry({ service: 'GitHub', secret: SECRET });
    const work = await t.vault.createGroup('Work');
    await t.vault.assignGroup(entry.id, work.id);
    await t.vault.renameGroup(work.id, 'Job');
    expect((await t.onDisk()).entries.get(entry.id)?.groups).toEqual([work.id]);
    expect((await t.onDisk()).groups.get(work.id)?.name).toBe('Job');
    expect(t.vault.search('job').map((e) => e.id)).toEqual([entry.id]);
    expect(await t.vault.deleteGroup(work.id)).toMatchObject({ entries: 1 });
    const disk = await t.onDisk();
    expect(disk.groups.size).toBe(0);
    expect(disk.entries.get(entry.id)?.groups).toEqual([]);
    expect((await readVaultFile(t.file)).entries[work.id]?.deleted).toBe(true);
  });

  it('removes an entry as a tombstone', async () => {
    const { entry } = await t.vault.addEntry({ service: 'GitHub', secret: SECRET });
    await t.vault.removeEntry(entry.id);
    expect(t.vault.entries()).toEqual([]);
    expect((await readVaultFile(t.file)).entries[entry.id]?.deleted).toBe(true);
    await expect(t.vault.removeEntry(entry.id)).rejects.toBeInstanceOf(VaultEntryError);
  });

  it('writes nothing for a change that changes nothing', async () => {
    const { entry } = await t.vault.addEntry({ service: 'GitHub', secret: SECRET });
    const work = await t.vault.createGroup('Work');
    await t.vault.unassignGroup(entry.id, work.id);
    expect(writeVaultFile).toHaveBeenCalledTimes(2);
  });

  it('gives TOTP and Steam codes with seconds left, and lists HOTP entries without one', async () => {
    await t.vault.addEntry({ service: 'GitHub', secret: SECRET });
    await t.vault.addEntry({ otp_type: 'hotp', service: 'Bank', secret: HOTP_SECRET });
    await t.vault.addEntry({ otp_type: 'steamtotp', service: 'Steam', secret: 'KRSXG5CTMVRXEZLU' });
    const now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const codes = t.vault.codes('', now);
    expect(codes.map((c) => [c.entry.service, c.code?.secondsLeft ?? null])).toEqual([
      ['GitHub', 25],
      ['Bank', null],
      ['Steam', 25],
    ]);
    expect(codes[0]!.code!.code).toBe(TOTP.generate({ secret: Secret.fromBase32(SECRET), timestamp: now }));
    expect(codes[2]!.code!.code).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
    expect(t.vault.codes('git', now).map((c) => c.entry.service)).toEqual(['GitHub']);
  });

  it('locks: the master key is zeroed and every later call is refused', async () => {
    const { entry } = await t.vault.addEntry({ service: 'GitHub', secret: SECRET });
    t.vault.lock();
    expect(t.unlocked.master.every((b) => b === 0)).toBe(true);
    expect(t.vault.locked).toBe(true);
    expect(() => t.vault.entries()).toThrow(VaultLockedError);
    expect(() => t.vault.revealSecret(entry.id)).toThrow(VaultLockedError);
    await expect(t.vault.addEntry({ service: 'X', secret: HOTP_SECRET })).rejects.toBeInstanceOf(VaultLockedError);
    await expect(t.vault.nextHotp(entry.id)).rejects.toBeInstanceOf(VaultLockedError);
  });

  it('swaps the unlocked vault in turn with other changes, writing it and zeroing a replaced master key', async () => {
    await t.vault.addEntry({ service: 'GitHub', secret: SECRET });
    const old = t.unlocked.master;
    const adding = t.vault.addEntry({ service: 'Second', secret: HOTP_SECRET });
    const swapped = t.vault.updateVault((current) => {
      expect(Object.keys(current.body.entries)).toHaveLength(2);
      return { body: current.body, master: Buffer.from(current.master) };
    });
    await Promise.all([adding, swapped]);
    expect(old.every((b) => b === 0)).toBe(true);
    expect(t.vault.entries()).toHaveLength(2);
    await t.vault.addEntry({ service: 'Third', secret: 'KRSXG5CTMVRXEZLU' });
    expect((await t.onDisk()).entries.size).toBe(3);
    await expect(
      t.vault.updateVault((current) => ({ ...current, body: { ...current.body, vault: crypto.randomUUID() } })),
    ).rejects.toThrow(/another vault/);
  });

  it('opens what it wrote: a second OpenVault over the file sees the same entries and groups', async () => {
    const { entry } = await t.vault.addEntry({ service: 'GitHub', secret: SECRET, note: 'backup codes in the safe' });
    const group = await t.vault.createGroup('Work');
    await t.vault.assignGroup(entry.id, group.id);
    const again = OpenVault.open({
      file: t.file,
      vault: { body: await readVaultFile(t.file), master: Buffer.from(t.unlocked.master) },
      clock: new HybridLogicalClock({ device: 'second-desktop' }),
    });
    expect(again.entries()).toEqual(t.vault.entries());
    expect(again.groups()).toEqual(t.vault.groups());
  });
});
