import { describe, expect, it } from 'vitest';
import { VaultDamagedError } from '../../../../src/main/vault/errors/VaultDamagedError.js';
import { VaultLockoutError } from '../../../../src/main/vault/errors/VaultLockoutError.js';
import { VaultUnlockError } from '../../../../src/main/vault/errors/VaultUnlockError.js';
import { openEntries } from '../../../../src/main/vault/file/entryRecords.js';
import { lockVault } from '../../../../src/main/vault/slots/lockVault.js';
import { rotateMasterKey } from '../../../../src/main/vault/slots/rotateMasterKey.js';
import { deleteEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { addSlot } from '../../../../src/main/vault/slots/addSlot.js';
import { removeSlot } from '../../../../src/main/vault/slots/removeSlot.js';
import { reshape } from '../../../../src/main/vault/slots/reshape.js';
import { newFido2Salt } from '../../../../src/main/vault/slots/makeSlot.js';
import { keyRequests, unlock, type UnlockFactors } from '../../../../src/main/vault/slots/unlock.js';
import type { VaultBody } from '../../../../src/main/vault/file/vaultText.js';
import { CHEAP, FakeHmacKey, PASSWORD, RECOVERY_CODE, testVault, type TestVault } from './testVault.js';

const cheap = { minArgon2: CHEAP };

async function opens(body: VaultBody, factors: UnlockFactors, master: Buffer): Promise<void> {
  const opened = await unlock(body, factors, cheap);
  expect(opened.master.equals(master)).toBe(true);
}

async function refusal(body: VaultBody, factors: UnlockFactors): Promise<VaultUnlockError> {
  const error = await unlock(body, factors, cheap).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VaultUnlockError);
  return error as VaultUnlockError;
}

function keyOf(t: TestVault, uv = true) {
  return t.key.answer(t.salt, uv);
}

describe('unlock', () => {
  it('password-or-key: the password alone, the key alone and recovery each open the vault', async () => {
    const t = await testVault('password-or-key');
    await opens(t.vault.body, { password: PASSWORD }, t.vault.master);
    await opens(t.vault.body, { keys: [keyOf(t)] }, t.vault.master);
    await opens(t.vault.body, { recoveryCode: RECOVERY_CODE, password: PASSWORD }, t.vault.master);
    expect(openEntries(await unlock(t.vault.body, { keys: [keyOf(t)] }, cheap))).toHaveLength(2);
  });

  it('password-and-key: neither factor alone opens it, and each refusal names the missing one', async () => {
    const t = await testVault('password-and-key');
    expect(await refusal(t.vault.body, { password: PASSWORD })).toMatchObject({
      reason: 'missing-factor',
      factor: 'security key',
    });
    expect(await refusal(t.vault.body, { keys: [keyOf(t)] })).toMatchObject({
      reason: 'missing-factor',
      factor: 'password',
    });
    await opens(t.vault.body, { password: PASSWORD, keys: [keyOf(t)] }, t.vault.master);
    await opens(t.vault.body, { recoveryCode: RECOVERY_CODE, password: PASSWORD }, t.vault.master);
  });

  it('key-only: the password alone is refused as a missing key', async () => {
    const t = await testVault('key-only');
    const error = await refusal(t.vault.body, { password: PASSWORD });
    expect(error).toMatchObject({ reason: 'missing-factor', factor: 'security key' });
    await opens(t.vault.body, { keys: [keyOf(t)] }, t.vault.master);
  });

  it('says which factor is wrong, and that a key was asked with the other UV state', async () => {
    const t = await testVault('password-or-key');
    expect(await refusal(t.vault.body, { password: 'wrong' })).toMatchObject({
      reason: 'wrong-factor',
      factor: 'password',
    });
    expect((await refusal(t.vault.body, { keys: [keyOf(t, false)] })).message).toMatch(/user verification/);
    expect(await refusal(t.vault.body, { recoveryCode: RECOVERY_CODE })).toMatchObject({ factor: 'password' });
    expect(await refusal(t.vault.body, {})).toMatchObject({ reason: 'missing-factor' });
  });

  it('lists what to ask each key: its credential, salt and UV state', async () => {
    const t = await testVault('password-or-key');
    expect(keyRequests(t.vault.body)).toEqual([
      expect.objectContaining({ credentialId: t.key.credentialId, salt: t.salt, uv: true }),
    ]);
  });

  it('refuses a planted slot: a slot made under another master key fails the slot list MAC', async () => {
    const victim = await testVault('password-or-key');
    const attacker = await testVault('password-or-key');
    const [plantedId, planted] = Object.entries(attacker.vault.body.slots)[1]!;
    const body = { ...victim.vault.body, slots: { ...victim.vault.body.slots, [plantedId]: planted } };
    const error = await unlock(body, { password: PASSWORD }, cheap).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultDamagedError);
    expect((error as VaultDamagedError).part).toBe('the slot list');
  });

  it('refuses a slot whose Argon2id parameters are below the floor', async () => {
    const t = await testVault('password-or-key');
    await expect(unlock(t.vault.body, { password: PASSWORD })).rejects.toThrow(/below the floor m=19456 KiB, t=2, p=1/);
  });
});

describe('lockVault', () => {
  it('zeroes the master key, after which the entries no longer open', async () => {
    const t = await testVault('password-or-key');
    lockVault(t.vault);
    expect(t.vault.master.every((b) => b === 0)).toBe(true);
    expect(() => openEntries(t.vault)).toThrow(VaultDamagedError);
  });
});

describe('slot changes', () => {
  it('a revoked key opens nothing afterwards, with its real output', async () => {
    const t = await testVault('password-or-key');
    const [slotId] = Object.entries(t.vault.body.slots).find(([, s]) => s.type === 'fido2-hmac-secret')!;
    const revoked = removeSlot(t.vault, slotId, t.clock);
    expect(JSON.stringify(revoked.body.slots[slotId])).not.toMatch(/wrapped|salt/);
    expect(await refusal(revoked.body, { keys: [keyOf(t)] })).toMatchObject({ reason: 'wrong-factor' });
  });

  it('the lock-out guard refuses to remove the last key slot of a key-only vault, with a sentence', async () => {
    const t = await testVault('key-only');
    const [slotId] = Object.entries(t.vault.body.slots).find(([, s]) => s.type === 'fido2-hmac-secret')!;
    expect(() => removeSlot(t.vault, slotId, t.clock)).toThrow(VaultLockoutError);
    expect(() => removeSlot(t.vault, slotId, t.clock)).toThrow(
      /key-only mode opens the vault only with a security key/,
    );
  });

  it('a second key added opens the vault alone', async () => {
    const t = await testVault('password-or-key');
    const second = new FakeHmacKey();
    const salt = newFido2Salt();
    const { vault } = await addSlot(
      t.vault,
      { type: 'fido2-hmac-secret', key: second.answer(salt, false), salt },
      t.clock,
    );
    await opens(vault.body, { keys: [second.answer(salt, false)] }, t.vault.master);
  });

  it('turning key-only on removes the password slot, and turning it off brings it back from the password', async () => {
    const t = await testVault('password-or-key');
    const keyOnly = await reshape(t.vault, { mode: 'key-only', clock: t.clock });
    expect(await refusal(keyOnly.body, { password: PASSWORD })).toMatchObject({ factor: 'security key' });
    await expect(reshape(keyOnly, { mode: 'password-or-key', clock: t.clock })).rejects.toThrow(
      /the password is needed/,
    );
    const back = await reshape(keyOnly, { mode: 'password-or-key', password: PASSWORD, params: CHEAP, clock: t.clock });
    await opens(back.body, { password: PASSWORD }, t.vault.master);
  });

  it('moving to password-and-key rewraps key slots with one touch each, after which the key alone no longer opens', async () => {
    const t = await testVault('password-or-key');
    await expect(
      reshape(t.vault, { mode: 'password-and-key', password: PASSWORD, params: CHEAP, clock: t.clock }),
    ).rejects.toThrow(/touch the key/);
    const both = await reshape(t.vault, {
      mode: 'password-and-key',
      password: PASSWORD,
      params: CHEAP,
      keys: [keyOf(t)],
      clock: t.clock,
    });
    expect(await refusal(both.body, { keys: [keyOf(t)] })).toMatchObject({ factor: 'password' });
    await opens(both.body, { password: PASSWORD, keys: [keyOf(t)] }, t.vault.master);
  });

  it('key-only with no key slot cannot be reached', async () => {
    const t = await testVault('password-or-key');
    const [slotId] = Object.entries(t.vault.body.slots).find(([, s]) => s.type === 'fido2-hmac-secret')!;
    const noKey = removeSlot(t.vault, slotId, t.clock);
    await expect(reshape(noKey, { mode: 'key-only', clock: t.clock })).rejects.toThrow(VaultLockoutError);
  });
});

describe('rotateMasterKey', () => {
  it('raises the epoch, replaces the key, and every factor still opens the same entries', async () => {
    const t = await testVault('password-or-key', 3);
    const withTombstone = deleteEntry(t.vault, '00000000-0000-4000-8000-000000000002', t.clock.tick());
    const rotated = await rotateMasterKey(withTombstone, {
      password: PASSWORD,
      recoveryCode: RECOVERY_CODE,
      keys: [keyOf(t)],
      params: CHEAP,
      clock: t.clock,
    });
    expect(rotated.body.epoch).toBe(2);
    expect(rotated.master.equals(t.vault.master)).toBe(false);
    expect(rotated.body.entries['00000000-0000-4000-8000-000000000002']!.deleted).toBe(true);
    const before = openEntries(withTombstone);
    for (const factors of [
      { password: PASSWORD },
      { keys: [keyOf(t)] },
      { recoveryCode: RECOVERY_CODE, password: PASSWORD },
    ])
      expect(openEntries(await unlock(rotated.body, factors, cheap))).toEqual(before);
  });

  it('an entry of the old epoch does not open in the new one', async () => {
    const t = await testVault('password-or-key', 1);
    const rotated = await rotateMasterKey(t.vault, {
      password: PASSWORD,
      recoveryCode: RECOVERY_CODE,
      keys: [keyOf(t)],
      params: CHEAP,
      clock: t.clock,
    });
    const mixed = { ...rotated, body: { ...rotated.body, entries: t.vault.body.entries } };
    expect(() => openEntries(mixed)).toThrow(VaultDamagedError);
  });

  it("refuses when a slot's factor is missing, naming it", async () => {
    const t = await testVault('password-or-key', 1);
    await expect(
      rotateMasterKey(t.vault, { password: PASSWORD, recoveryCode: RECOVERY_CODE, params: CHEAP, clock: t.clock }),
    ).rejects.toThrow(/touch the key of slot/);
    await expect(
      rotateMasterKey(t.vault, { password: PASSWORD, keys: [keyOf(t)], params: CHEAP, clock: t.clock }),
    ).rejects.toThrow(/the recovery code and the password are needed/);
  });
});
