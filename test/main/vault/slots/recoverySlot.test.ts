import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { VaultDamagedError } from '../../../../src/main/vault/errors/VaultDamagedError.js';
import { VaultUnlockError } from '../../../../src/main/vault/errors/VaultUnlockError.js';
import { base64, bytes } from '../../../../src/main/vault/file/encodedBytes.js';
import { openEntries, putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { vaultFileBytes, type VaultBody } from '../../../../src/main/vault/file/vaultText.js';
import { addSlot } from '../../../../src/main/vault/slots/addSlot.js';
import { changeVaultPassword } from '../../../../src/main/vault/slots/changeVaultPassword.js';
import { newFido2Salt } from '../../../../src/main/vault/slots/makeSlot.js';
import { removeSlot } from '../../../../src/main/vault/slots/removeSlot.js';
import { replaceRecoveryCode } from '../../../../src/main/vault/slots/replaceRecoveryCode.js';
import { rotateMasterKey } from '../../../../src/main/vault/slots/rotateMasterKey.js';
import type { RecoverySlot, Slot } from '../../../../src/main/vault/slots/slotSchema.js';
import { unlock, type UnlockFactors, type UnlockedVault } from '../../../../src/main/vault/slots/unlock.js';
import { withSlots } from '../../../../src/main/vault/slots/withSlots.js';
import { mergeVaults } from '../../../../src/main/vault/sync/mergeVaults.js';
import { CHEAP, entryJson, FakeHmacKey, PASSWORD, RECOVERY_CODE, testVault, type TestVault } from './testVault.js';

const NEW_PASSWORD = 'a new password, longer and better';
const NEW_CODE = 'NEW0-C0DE-7Q4M-ZX2P';
const cheap = { minArgon2: CHEAP };

async function opens(body: VaultBody, factors: UnlockFactors, master: Buffer): Promise<void> {
  const opened = await unlock(body, factors, cheap);
  expect(opened.master.equals(master)).toBe(true);
}

async function failure(body: VaultBody, factors: UnlockFactors): Promise<unknown> {
  return unlock(body, factors, cheap).then(
    () => new Error('the vault opened'),
    (e: unknown) => e,
  );
}

async function refusal(body: VaultBody, factors: UnlockFactors): Promise<VaultUnlockError> {
  const error = await failure(body, factors);
  expect(error).toBeInstanceOf(VaultUnlockError);
  return error as VaultUnlockError;
}

function recoveryOf(vault: UnlockedVault): [string, RecoverySlot] {
  const found = Object.entries(vault.body.slots).find(([, slot]) => slot.type === 'recovery' && !slot.deleted);
  return found as [string, RecoverySlot];
}

function keyOf(t: TestVault) {
  return t.key.answer(t.salt, true);
}

/** The body with the recovery slot replaced by `edit(slot)`, everything else (the MAC included) as it was. */
function withRecovery(body: VaultBody, edit: (slot: RecoverySlot) => RecoverySlot): VaultBody {
  const [id, slot] = Object.entries(body.slots).find(([, s]) => s.type === 'recovery') as [string, RecoverySlot];
  return { ...body, slots: { ...body.slots, [id]: edit(structuredClone(slot)) } };
}

function flipped(value: string): string {
  const data = bytes(value);
  data[data.length - 1] = data[data.length - 1]! ^ 0x01;
  return base64(data);
}

describe('changeVaultPassword', () => {
  for (const mode of ['password-or-key', 'password-and-key', 'key-only'] as const)
    it(`${mode}: the new password opens what the old one did, with the same recovery code; the old one opens nothing`, async () => {
      const t = await testVault(mode);
      const changed = await changeVaultPassword(t.vault, { password: NEW_PASSWORD, params: CHEAP, clock: t.clock });
      const body = changed.body;
      const passwordFactors = mode === 'password-and-key' ? { keys: [keyOf(t)] } : {};
      if (mode !== 'key-only') {
        await opens(body, { password: NEW_PASSWORD, ...passwordFactors }, t.vault.master);
        expect(await refusal(body, { password: PASSWORD, ...passwordFactors })).toMatchObject({ factor: 'password' });
      }
      await opens(body, { recoveryCode: RECOVERY_CODE, password: NEW_PASSWORD }, t.vault.master);
      expect(await refusal(body, { recoveryCode: RECOVERY_CODE, password: PASSWORD })).toMatchObject({
        reason: 'wrong-factor',
        factor: 'password',
      });
      await opens(
        body,
        { keys: [keyOf(t)], ...(mode === 'password-and-key' ? { password: NEW_PASSWORD } : {}) },
        t.vault.master,
      );
    });

  it('leaves the code layer and the key slots as they were, and rewraps from the open vault alone', async () => {
    const t = await testVault('password-or-key');
    const changed = await changeVaultPassword(t.vault, { password: NEW_PASSWORD, params: CHEAP, clock: t.clock });
    const [id, before] = recoveryOf(t.vault);
    const after = changed.body.slots[id] as RecoverySlot;
    expect(after.secretUnderCode).toEqual(before.secretUnderCode);
    expect(after.wrapped).not.toBe(before.wrapped);
    expect(after.kdf.salt).not.toBe(before.kdf.salt);
    expect(after.hlc).not.toEqual(before.hlc);
    for (const [slotId, slot] of Object.entries(t.vault.body.slots))
      if (slot.type === 'fido2-hmac-secret') expect(changed.body.slots[slotId]).toEqual(slot);
  });

  it('works again after the master key was replaced (the secret is under the new key)', async () => {
    const t = await testVault('password-and-key');
    const rotated = await rotateMasterKey(t.vault, {
      password: PASSWORD,
      recoveryCode: RECOVERY_CODE,
      keys: [keyOf(t)],
      params: CHEAP,
      clock: t.clock,
    });
    const changed = await changeVaultPassword(rotated, { password: NEW_PASSWORD, params: CHEAP, clock: t.clock });
    await opens(changed.body, { recoveryCode: RECOVERY_CODE, password: NEW_PASSWORD }, rotated.master);
    await opens(changed.body, { password: NEW_PASSWORD, keys: [keyOf(t)] }, rotated.master);
  });

  it('refuses, as damage, a recovery secret that does not open under the master key', async () => {
    const t = await testVault('password-or-key');
    const body = withRecovery(t.vault.body, (slot) => ({
      ...slot,
      secretUnderMaster: { ...slot.secretUnderMaster, wrapped: flipped(slot.secretUnderMaster.wrapped) },
    }));
    const error = await changeVaultPassword(
      { body, master: t.vault.master },
      { password: NEW_PASSWORD, params: CHEAP, clock: t.clock },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultDamagedError);
    expect((error as VaultDamagedError).message).toMatch(/recovery secret that does not open under the master key/);
  });

  it('merges with an entry added on another desktop: the merged copy opens with the new password only', async () => {
    const t = await testVault('password-or-key');
    const changed = await changeVaultPassword(t.vault, { password: NEW_PASSWORD, params: CHEAP, clock: t.clock });
    const id = '00000000-0000-4000-8000-00000000000f';
    const edited = putEntry(t.vault, { id, data: entryJson('added elsewhere') }, t.clock.tick());
    for (const merged of [mergeVaults(changed, edited), mergeVaults(edited, changed)]) {
      const byCode = await unlock(merged.body, { recoveryCode: RECOVERY_CODE, password: NEW_PASSWORD }, cheap);
      expect(openEntries(byCode).map((entry) => entry.id)).toContain(id);
      await opens(merged.body, { password: NEW_PASSWORD }, t.vault.master);
      expect(await refusal(merged.body, { password: PASSWORD })).toMatchObject({ factor: 'password' });
    }
  });
});

describe('replaceRecoveryCode', () => {
  it('the new code opens with the password, the old code opens nothing, in the same slot', async () => {
    const t = await testVault('password-and-key');
    const [id] = recoveryOf(t.vault);
    const replaced = await replaceRecoveryCode(t.vault, {
      recoveryCode: NEW_CODE,
      password: PASSWORD,
      params: CHEAP,
      clock: t.clock,
    });
    expect(recoveryOf(replaced)[0]).toBe(id);
    await opens(replaced.body, { recoveryCode: NEW_CODE, password: PASSWORD }, t.vault.master);
    expect(await refusal(replaced.body, { recoveryCode: RECOVERY_CODE, password: PASSWORD })).toMatchObject({
      reason: 'wrong-factor',
      factor: 'recovery code',
    });
  });

  it('refuses a password that is not the vault password (asked of the recovery slot, else the password slot)', async () => {
    for (const mode of ['password-or-key', 'key-only'] as const) {
      const t = await testVault(mode);
      const error = await replaceRecoveryCode(t.vault, {
        recoveryCode: NEW_CODE,
        password: `${PASSWORD}!`,
        params: CHEAP,
        clock: t.clock,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultUnlockError);
      expect(error).toMatchObject({ reason: 'wrong-factor', factor: 'password' });
    }
    const t = await testVault('password-or-key');
    const [recoveryId] = recoveryOf(t.vault);
    const noRecovery = removeSlot(t.vault, recoveryId, t.clock);
    await expect(
      replaceRecoveryCode(noRecovery, { recoveryCode: NEW_CODE, password: 'wrong', params: CHEAP, clock: t.clock }),
    ).rejects.toThrow(/not the vault password/);
  });

  it('gives a vault whose code was spent a recovery slot again, and leaves one of two', async () => {
    const t = await testVault('password-or-key');
    const [recoveryId] = recoveryOf(t.vault);
    const spent = removeSlot(t.vault, recoveryId, t.clock);
    expect((await refusal(spent.body, { recoveryCode: RECOVERY_CODE, password: PASSWORD })).message).toMatch(
      /no recovery slot/,
    );
    const again = await replaceRecoveryCode(spent, {
      recoveryCode: NEW_CODE,
      password: PASSWORD,
      params: CHEAP,
      clock: t.clock,
    });
    await opens(again.body, { recoveryCode: NEW_CODE, password: PASSWORD }, t.vault.master);

    const { vault: two } = await addSlot(
      t.vault,
      { type: 'recovery', recoveryCode: 'SECO-ND00-C0DE-0000', password: PASSWORD, params: CHEAP },
      t.clock,
    );
    const one = await replaceRecoveryCode(two, {
      recoveryCode: NEW_CODE,
      password: PASSWORD,
      params: CHEAP,
      clock: t.clock,
    });
    const live = Object.values(one.body.slots).filter((slot) => slot.type === 'recovery' && !slot.deleted);
    expect(live).toHaveLength(1);
    for (const old of [RECOVERY_CODE, 'SECO-ND00-C0DE-0000'])
      expect(await refusal(one.body, { recoveryCode: old, password: PASSWORD })).toMatchObject({
        factor: 'recovery code',
      });
  });

  it('ends a recovery: the code opens, the new key gets a slot, the other keys go, the new code replaces the old', async () => {
    const t = await testVault('key-only');
    const recovered = await unlock(t.vault.body, { recoveryCode: RECOVERY_CODE, password: PASSWORD }, cheap);
    const newKey = new FakeHmacKey();
    const salt = newFido2Salt();
    let { vault } = await addSlot(
      recovered,
      { type: 'fido2-hmac-secret', key: newKey.answer(salt, true), salt },
      t.clock,
    );
    const [oldKeySlot] = Object.entries(t.vault.body.slots).find(([, slot]) => slot.type === 'fido2-hmac-secret')!;
    vault = removeSlot(vault, oldKeySlot, t.clock);
    vault = await replaceRecoveryCode(vault, {
      recoveryCode: NEW_CODE,
      password: PASSWORD,
      params: CHEAP,
      clock: t.clock,
    });
    await opens(vault.body, { keys: [newKey.answer(salt, true)] }, t.vault.master);
    await opens(vault.body, { recoveryCode: NEW_CODE, password: PASSWORD }, t.vault.master);
    expect(await refusal(vault.body, { keys: [keyOf(t)] })).toMatchObject({ reason: 'wrong-factor' });
    expect(await refusal(vault.body, { recoveryCode: RECOVERY_CODE, password: PASSWORD })).toMatchObject({
      factor: 'recovery code',
    });
  });
});

describe('opening the recovery slot', () => {
  it('needs both factors, and says which one is wrong', async () => {
    const t = await testVault('key-only');
    expect(await refusal(t.vault.body, { recoveryCode: RECOVERY_CODE })).toMatchObject({
      reason: 'missing-factor',
      factor: 'password',
    });
    expect(await refusal(t.vault.body, { password: PASSWORD })).toMatchObject({ factor: 'security key' });
    const wrongCode = await refusal(t.vault.body, { recoveryCode: 'RCVR-7Q4M-ZX2P-9KLX', password: PASSWORD });
    expect(wrongCode).toMatchObject({ reason: 'wrong-factor', factor: 'recovery code' });
    expect(wrongCode.message).toMatch(/recovery code given does not open/);
    const wrongPassword = await refusal(t.vault.body, { recoveryCode: RECOVERY_CODE, password: `${PASSWORD}!` });
    expect(wrongPassword).toMatchObject({ reason: 'wrong-factor', factor: 'password' });
    expect(wrongPassword.message).toMatch(/recovery code is right/);
    expect(await refusal(t.vault.body, { recoveryCode: RECOVERY_CODE, password: '' })).toMatchObject({
      factor: 'password',
    });
  });

  it('refuses a slot whose code layer has Argon2id parameters below the floor', async () => {
    const t = await testVault('password-or-key');
    const body = withRecovery(t.vault.body, (slot) => ({
      ...slot,
      secretUnderCode: { ...slot.secretUnderCode, kdf: { ...slot.secretUnderCode.kdf, m: 32 } },
    }));
    const error = await failure(body, { password: PASSWORD });
    expect(error).toBeInstanceOf(VaultDamagedError);
    expect((error as VaultDamagedError).problem).toMatch(/m=32 KiB, t=1, p=1, below the floor/);
  });

  const edits: [string, (slot: RecoverySlot) => RecoverySlot][] = [
    ['kdf.salt', (s) => ({ ...s, kdf: { ...s.kdf, salt: flipped(s.kdf.salt) } })],
    ['kdf.t', (s) => ({ ...s, kdf: { ...s.kdf, t: s.kdf.t + 1 } })],
    ['nonce', (s) => ({ ...s, nonce: flipped(s.nonce) })],
    ['wrapped', (s) => ({ ...s, wrapped: flipped(s.wrapped) })],
    [
      'secretUnderCode.kdf.salt',
      (s) => ({
        ...s,
        secretUnderCode: {
          ...s.secretUnderCode,
          kdf: { ...s.secretUnderCode.kdf, salt: flipped(s.secretUnderCode.kdf.salt) },
        },
      }),
    ],
    [
      'secretUnderCode.kdf.m',
      (s) => ({
        ...s,
        secretUnderCode: { ...s.secretUnderCode, kdf: { ...s.secretUnderCode.kdf, m: s.secretUnderCode.kdf.m + 8 } },
      }),
    ],
    [
      'secretUnderCode.nonce',
      (s) => ({ ...s, secretUnderCode: { ...s.secretUnderCode, nonce: flipped(s.secretUnderCode.nonce) } }),
    ],
    [
      'secretUnderCode.wrapped',
      (s) => ({ ...s, secretUnderCode: { ...s.secretUnderCode, wrapped: flipped(s.secretUnderCode.wrapped) } }),
    ],
    [
      'secretUnderMaster.nonce',
      (s) => ({ ...s, secretUnderMaster: { ...s.secretUnderMaster, nonce: flipped(s.secretUnderMaster.nonce) } }),
    ],
    [
      'secretUnderMaster.wrapped',
      (s) => ({ ...s, secretUnderMaster: { ...s.secretUnderMaster, wrapped: flipped(s.secretUnderMaster.wrapped) } }),
    ],
  ];
  for (const [field, edit] of edits)
    it(`detects an edited ${field}: recovery does not open with it, and the slot list MAC fails`, async () => {
      const t = await testVault('password-or-key');
      const body = withRecovery(t.vault.body, edit);
      const byRecovery = await failure(body, { recoveryCode: RECOVERY_CODE, password: PASSWORD });
      expect(byRecovery instanceof VaultUnlockError || byRecovery instanceof VaultDamagedError).toBe(true);
      const byPassword = await failure(body, { password: PASSWORD });
      expect(byPassword).toBeInstanceOf(VaultDamagedError);
      expect((byPassword as VaultDamagedError).part).toBe('the slot list');
    });

  it('binds every layer to its slot id: a slot moved to another id does not open, even with its MAC recomputed', async () => {
    const t = await testVault('password-or-key');
    const [id, slot] = recoveryOf(t.vault);
    const slots: Record<string, Slot> = { ...t.vault.body.slots, ['00000000-0000-4000-8000-0000000000aa']: slot };
    delete slots[id];
    const moved = withSlots(t.vault, 'password-or-key', slots);
    expect(await refusal(moved.body, { recoveryCode: RECOVERY_CODE, password: PASSWORD })).toMatchObject({
      factor: 'recovery code',
    });
    const error = await changeVaultPassword(moved, { password: NEW_PASSWORD, params: CHEAP, clock: t.clock }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultDamagedError);
  });
});

describe('the standalone decryptor', () => {
  const run = promisify(execFile);
  const decryptor = join(import.meta.dirname, '../../../../scripts/decrypt-vault.mjs');

  async function decrypt(body: VaultBody, env: Record<string, string>) {
    const dir = await mkdtemp(join(tmpdir(), 'latchkey-recovery-'));
    try {
      const file = join(dir, 'vault.json');
      await writeFile(file, vaultFileBytes(body));
      return await run(process.execPath, [decryptor, file], { env: { PATH: process.env.PATH ?? '', ...env } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('opens a vault after a password change from the code and the new password, and says which factor is wrong', async () => {
    const t = await testVault('key-only', 1);
    const changed = await changeVaultPassword(t.vault, { password: NEW_PASSWORD, params: CHEAP, clock: t.clock });
    const { stdout } = await decrypt(changed.body, {
      LATCHKEY_PASSWORD: NEW_PASSWORD,
      LATCHKEY_RECOVERY_CODE: RECOVERY_CODE,
    });
    expect(JSON.parse(stdout)).toMatchObject({ data: [{ service: 'service 0' }] });
    const oldPassword = await decrypt(changed.body, {
      LATCHKEY_PASSWORD: PASSWORD,
      LATCHKEY_RECOVERY_CODE: RECOVERY_CODE,
    }).catch((e: unknown) => e);
    expect(oldPassword).toMatchObject({ code: 1, stdout: '' });
    expect((oldPassword as { stderr: string }).stderr).toMatch(/the recovery code is right, but the password/);
    const wrongCode = await decrypt(changed.body, {
      LATCHKEY_PASSWORD: NEW_PASSWORD,
      LATCHKEY_RECOVERY_CODE: NEW_CODE,
    }).catch((e: unknown) => e);
    expect((wrongCode as { stderr: string }).stderr).toMatch(/the recovery code does not open/);
    expect((wrongCode as { stderr: string }).stderr).not.toContain(NEW_CODE);
  });
});
