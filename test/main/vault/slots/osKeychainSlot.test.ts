// The os-keychain slot: made, opened, reshaped, rotated and merged with a stand-in keychain; every wrong, missing or
// changed part is a VaultUnlockError or VaultDamagedError that says which, and the slot key is wiped after use.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OsKeychain } from '../../../../src/main/secrets/OsKeychain.js';
import { VaultDamagedError } from '../../../../src/main/vault/errors/VaultDamagedError.js';
import { VaultLockoutError } from '../../../../src/main/vault/errors/VaultLockoutError.js';
import { VaultUnlockError } from '../../../../src/main/vault/errors/VaultUnlockError.js';
import { openEntries } from '../../../../src/main/vault/file/entryRecords.js';
import type { VaultMode } from '../../../../src/main/vault/file/vaultFileSchema.js';
import { parseVaultFile, vaultFileBytes, type VaultBody } from '../../../../src/main/vault/file/vaultText.js';
import { addSlot } from '../../../../src/main/vault/slots/addSlot.js';
import { lockoutReason } from '../../../../src/main/vault/slots/lockoutGuard.js';
import { removeSlot } from '../../../../src/main/vault/slots/removeSlot.js';
import { reshape } from '../../../../src/main/vault/slots/reshape.js';
import { rotateMasterKey } from '../../../../src/main/vault/slots/rotateMasterKey.js';
import type { OsKeychainSlot, Slot } from '../../../../src/main/vault/slots/slotSchema.js';
import { unlock, type UnlockedVault, type UnlockFactors } from '../../../../src/main/vault/slots/unlock.js';
import { withSlots } from '../../../../src/main/vault/slots/withSlots.js';
import { mergeVaults } from '../../../../src/main/vault/sync/mergeVaults.js';
import { TestKeychain, UNAVAILABLE_KEYCHAIN } from '../../../support/testKeychain.js';
import { CHEAP, PASSWORD, RECOVERY_CODE, testVault, type TestVault } from './testVault.js';

const U2F_KEY = randomBytes(64);

interface KeychainVault extends TestVault {
  keychain: TestKeychain;
  slotId: string;
}

/** A vault in `mode` whose U2F key got an os-keychain slot (the first key of password-and-key reshapes it). */
async function keychainVault(mode: VaultMode): Promise<KeychainVault> {
  const t = await testVault(mode === 'password-and-key' ? 'password-or-key' : mode, 1);
  const keychain = new TestKeychain();
  const added = await addSlot(t.vault, { type: 'os-keychain', credentialId: U2F_KEY, keychain }, t.clock);
  let vault = added.vault;
  if (mode === 'password-and-key')
    vault = await reshape(vault, {
      mode,
      password: PASSWORD,
      params: CHEAP,
      keys: [t.key.answer(t.salt, true)],
      keychain,
      clock: t.clock,
    });
  return { ...t, vault, keychain, slotId: added.slotId };
}

function slotOf(body: VaultBody, id: string): OsKeychainSlot {
  const slot = body.slots[id];
  if (!slot || slot.deleted || slot.type !== 'os-keychain') throw new Error(`slot ${id} is no live os-keychain slot`);
  return slot;
}

/** The body as the file holds it, with one slot's members changed (and the slot list re-MACed: a valid file). */
function withSlotMembers(vault: UnlockedVault, id: string, members: Partial<OsKeychainSlot>): VaultBody {
  const slots = { ...vault.body.slots, [id]: { ...slotOf(vault.body, id), ...members } };
  const { checksum: _checksum, ...body } = parseVaultFile(
    vaultFileBytes(withSlots(vault, vault.body.mode, slots).body),
  );
  return body;
}

const open = (body: VaultBody, factors: UnlockFactors) => unlock(body, factors, { minArgon2: CHEAP });

function flipByte(base64: string, at: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[at]! ^= 0x01;
  return bytes.toString('base64');
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('an os-keychain slot', () => {
  it('wraps the master key under a slot key only the keychain holds, bound to the vault like every slot', async () => {
    const t = await keychainVault('password-or-key');
    const slot = slotOf(t.vault.body, t.slotId);
    expect(slot.share).toBe('master');
    expect(Buffer.from(slot.credentialId, 'base64').equals(U2F_KEY)).toBe(true);
    expect(t.keychain.sealedCount).toBe(1);
    const opened = await open(t.vault.body, { verifiedKeys: [U2F_KEY], keychain: t.keychain });
    expect(opened.master.equals(t.vault.master)).toBe(true);
    expect(openEntries(opened).map((e) => e.id)).toHaveLength(1);
  });

  it('opens only for the key it belongs to', async () => {
    const t = await keychainVault('key-only');
    const error = await rejection(open(t.vault.body, { verifiedKeys: [randomBytes(64)], keychain: t.keychain }));
    expect(error).toBeInstanceOf(VaultUnlockError);
    expect(t.keychain.openedCount).toBe(0);
  });

  it('without a keychain (the command line) says the vault opens in the desktop app only', async () => {
    const t = await keychainVault('key-only');
    const error = await rejection(open(t.vault.body, { verifiedKeys: [U2F_KEY] }));
    expect(error).toBeInstanceOf(VaultUnlockError);
    expect(error.message).toBe(
      'This key opens the vault through the OS keychain, so the vault opens in the desktop app only.',
    );
  });

  it('with a keychain that cannot be used says why', async () => {
    const t = await keychainVault('key-only');
    const error = await rejection(open(t.vault.body, { verifiedKeys: [U2F_KEY], keychain: UNAVAILABLE_KEYCHAIN }));
    expect(error).toBeInstanceOf(VaultUnlockError);
    expect(error.message).toMatch(/OS keychain cannot be used: no secret service/);
  });

  it("is a wrong factor for another user's or computer's keychain", async () => {
    const t = await keychainVault('key-only');
    const error = await rejection(open(t.vault.body, { verifiedKeys: [U2F_KEY], keychain: new TestKeychain() }));
    expect(error).toBeInstanceOf(VaultUnlockError);
    expect((error as VaultUnlockError).reason).toBe('wrong-factor');
  });

  it('refuses a changed sealed key, a changed wrap, a swapped sealed key and a short one, never opening', async () => {
    const t = await keychainVault('key-only');
    const slot = slotOf(t.vault.body, t.slotId);
    const factors = { verifiedKeys: [U2F_KEY], keychain: t.keychain };
    const sealedFlipped = await rejection(
      open(withSlotMembers(t.vault, t.slotId, { sealed: flipByte(slot.sealed, 20) }), factors),
    );
    expect(sealedFlipped).toBeInstanceOf(VaultUnlockError);
    const wrapFlipped = await rejection(
      open(withSlotMembers(t.vault, t.slotId, { wrapped: flipByte(slot.wrapped, 3) }), factors),
    );
    expect(wrapFlipped).toBeInstanceOf(VaultDamagedError);
    expect((wrapFlipped as VaultDamagedError).part).toBe(`slot ${t.slotId}`);
    const otherKey = Buffer.from(await t.keychain.seal(randomBytes(32))).toString('base64');
    expect(await rejection(open(withSlotMembers(t.vault, t.slotId, { sealed: otherKey }), factors))).toBeInstanceOf(
      VaultDamagedError,
    );
    const short = Buffer.from(await t.keychain.seal(randomBytes(16))).toString('base64');
    const shortError = await rejection(open(withSlotMembers(t.vault, t.slotId, { sealed: short }), factors));
    expect(shortError).toBeInstanceOf(VaultDamagedError);
    expect(shortError.message).toMatch(/opens to 16 bytes, not 32/);
  });

  it('refuses a slot moved to another id (its additional data names the slot)', async () => {
    const t = await keychainVault('key-only');
    const moved = '00000000-0000-4000-8000-0000000000aa';
    const slots: Record<string, Slot> = { ...t.vault.body.slots, [moved]: t.vault.body.slots[t.slotId]! };
    delete slots[t.slotId];
    const body = withSlots(t.vault, 'key-only', slots).body;
    const error = await rejection(open(body, { verifiedKeys: [U2F_KEY], keychain: t.keychain }));
    expect(error).toBeInstanceOf(VaultDamagedError);
  });

  it('wipes the slot key it sealed and the one the keychain opened', async () => {
    const given: Uint8Array[] = [];
    const returned: Uint8Array[] = [];
    const inner = new TestKeychain();
    const watching: OsKeychain = {
      available: () => inner.available(),
      seal: async (bytes) => {
        given.push(bytes);
        return inner.seal(bytes);
      },
      open: async (sealed) => {
        const bytes = await inner.open(sealed);
        returned.push(bytes);
        return bytes;
      },
    };
    const t = await testVault('key-only', 0);
    const { vault } = await addSlot(
      t.vault,
      { type: 'os-keychain', credentialId: U2F_KEY, keychain: watching },
      t.clock,
    );
    await open(vault.body, { verifiedKeys: [U2F_KEY], keychain: watching });
    expect(given).toHaveLength(1);
    expect(returned).toHaveLength(1);
    for (const bytes of [...given, ...returned]) expect(Buffer.from(bytes).equals(Buffer.alloc(32))).toBe(true);
  });

  it('counts as a key slot for the lock-out guard: key-only with only an os-keychain slot is a way in', async () => {
    const t = await keychainVault('password-or-key');
    const fido2 = Object.entries(t.vault.body.slots).find(([, s]) => s.type === 'fido2-hmac-secret')![0];
    const withoutFido2 = removeSlot(t.vault, fido2, t.clock);
    const keyOnly = await reshape(withoutFido2, { mode: 'key-only', clock: t.clock });
    expect(lockoutReason('key-only', keyOnly.body.slots)).toBeUndefined();
    expect((await open(keyOnly.body, { verifiedKeys: [U2F_KEY], keychain: t.keychain })).master).toHaveLength(32);
    // Removing it too leaves key-only with no way in: refused with the guard's sentence.
    expect(() => removeSlot(keyOnly, t.slotId, t.clock)).toThrow(VaultLockoutError);
  });
});

describe('reshaping and replacing the master key with an os-keychain slot', () => {
  it('wraps the key share in password-and-key mode: the keychain alone or the password alone opens nothing', async () => {
    const t = await keychainVault('password-and-key');
    const slot = slotOf(t.vault.body, t.slotId);
    expect(slot.share).toBe('key-share');
    const both = await open(t.vault.body, { password: PASSWORD, verifiedKeys: [U2F_KEY], keychain: t.keychain });
    expect(both.master.equals(t.vault.master)).toBe(true);
    await expect(open(t.vault.body, { verifiedKeys: [U2F_KEY], keychain: t.keychain })).rejects.toThrow(/password/);
    await expect(open(t.vault.body, { password: PASSWORD })).rejects.toThrow(VaultUnlockError);
    // The command line with the password and the key: the keychain's sentence, not "touch a key".
    await expect(open(t.vault.body, { password: PASSWORD, verifiedKeys: [U2F_KEY] })).rejects.toThrow(
      /desktop app only/,
    );
  });

  it('makes the slot again with a new slot key when its share changes, and says so without a keychain', async () => {
    const t = await keychainVault('password-and-key');
    const before = slotOf(t.vault.body, t.slotId);
    const refused = await rejection(
      reshape(t.vault, {
        mode: 'password-or-key',
        password: PASSWORD,
        params: CHEAP,
        keys: [t.key.answer(t.salt, true)],
        clock: t.clock,
      }),
    );
    expect(refused).toBeInstanceOf(VaultUnlockError);
    expect(refused.message).toMatch(/goes through the OS keychain: change the mode in the desktop app/);
    const back = await reshape(t.vault, {
      mode: 'password-or-key',
      password: PASSWORD,
      params: CHEAP,
      keys: [t.key.answer(t.salt, true)],
      keychain: t.keychain,
      clock: t.clock,
    });
    const after = slotOf(back.body, t.slotId);
    expect(after.share).toBe('master');
    expect(after.sealed).not.toBe(before.sealed);
    expect(
      (await open(back.body, { verifiedKeys: [U2F_KEY], keychain: t.keychain })).master.equals(t.vault.master),
    ).toBe(true);
  });

  it('leaves the slot as it is between password-or-key and key-only (no keychain needed)', async () => {
    const t = await keychainVault('password-or-key');
    const keyOnly = await reshape(t.vault, { mode: 'key-only', clock: t.clock });
    expect(keyOnly.body.slots[t.slotId]).toEqual(t.vault.body.slots[t.slotId]);
  });

  it('rewraps it under a new master key and epoch with the keychain, and refuses without it', async () => {
    const t = await keychainVault('password-or-key');
    const options = {
      password: PASSWORD,
      recoveryCode: RECOVERY_CODE,
      keys: [t.key.answer(t.salt, true)],
      params: CHEAP,
      clock: t.clock,
    };
    const refused = await rejection(rotateMasterKey(t.vault, options));
    expect(refused).toBeInstanceOf(VaultUnlockError);
    expect(refused.message).toMatch(/OS keychain: replace it in the desktop app/);
    const rotated = await rotateMasterKey(t.vault, { ...options, keychain: t.keychain });
    expect(rotated.body.epoch).toBe(t.vault.body.epoch + 1);
    const opened = await open(rotated.body, { verifiedKeys: [U2F_KEY], keychain: t.keychain });
    expect(opened.master.equals(rotated.master)).toBe(true);
    expect(opened.master.equals(t.vault.master)).toBe(false);
    expect(openEntries(opened)).toHaveLength(1);
  });

  it('merges with a copy that removed it: the tombstone wins, and the merged copy no longer opens with it', async () => {
    const t = await keychainVault('password-or-key');
    const removed = removeSlot(t.vault, t.slotId, t.clock);
    const merged = mergeVaults(t.vault, removed);
    expect(merged.body.slots[t.slotId]?.deleted).toBe(true);
    await expect(open(merged.body, { verifiedKeys: [U2F_KEY], keychain: t.keychain })).rejects.toThrow(
      VaultUnlockError,
    );
    const added = await addSlot(
      t.vault,
      { type: 'os-keychain', credentialId: randomBytes(32), keychain: t.keychain },
      t.clock,
    );
    const union = mergeVaults(added.vault, t.vault);
    expect(Object.keys(union.body.slots)).toContain(added.slotId);
    expect((await open(union.body, { verifiedKeys: [U2F_KEY], keychain: t.keychain })).master).toHaveLength(32);
  });
});
