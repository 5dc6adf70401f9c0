// mergeVaults on chosen cases: the copies it refuses and why, tombstones against later edits, damaged records, and a
// merge that would leave no way in.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VaultDamagedError } from '../../../../src/main/vault/errors/VaultDamagedError.js';
import { VaultLockoutError } from '../../../../src/main/vault/errors/VaultLockoutError.js';
import { base64, bytes } from '../../../../src/main/vault/file/encodedBytes.js';
import { openEntries } from '../../../../src/main/vault/file/entryRecords.js';
import { removeSlot } from '../../../../src/main/vault/slots/removeSlot.js';
import { reshape } from '../../../../src/main/vault/slots/reshape.js';
import { rotateMasterKey } from '../../../../src/main/vault/slots/rotateMasterKey.js';
import type { UnlockedVault } from '../../../../src/main/vault/slots/unlock.js';
import { mergeVaults } from '../../../../src/main/vault/sync/mergeVaults.js';
import { VaultMergeError } from '../../../../src/main/vault/sync/VaultMergeError.js';
import { CHEAP, PASSWORD, RECOVERY_CODE, testVault } from '../slots/testVault.js';
import { Replica } from './replicas.js';

const FIRST = '00000000-0000-4000-8000-000000000000';

function refusal(a: UnlockedVault, b: UnlockedVault): VaultMergeError {
  let caught: unknown;
  try {
    mergeVaults(a, b);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(VaultMergeError);
  const error = caught as VaultMergeError;
  for (const master of [a.master, b.master]) {
    expect(error.message).not.toContain(master.toString('hex'));
    expect(error.message).not.toContain(master.toString('base64'));
  }
  return error;
}

function slotIdOf(vault: UnlockedVault, type: string): string {
  return Object.entries(vault.body.slots).find(([, slot]) => slot.type === type && !slot.deleted)![0];
}

describe('mergeVaults', () => {
  it('refuses two different vaults, naming both ids', async () => {
    const [a, b] = [await testVault('password-or-key'), await testVault('password-or-key')];
    const error = refusal(a.vault, b.vault);
    expect(error.reason).toBe('different-vault');
    expect(error.message).toContain(a.vault.body.vault);
    expect(error.message).toContain(b.vault.body.vault);
  });

  it('refuses copies of different key epochs, naming the epoch to keep', async () => {
    const t = await testVault('password-or-key');
    const rotated = await rotateMasterKey(t.vault, {
      password: PASSWORD,
      recoveryCode: RECOVERY_CODE,
      keys: [t.key.answer(t.salt, true)],
      params: CHEAP,
      clock: t.clock,
    });
    const error = refusal(t.vault, rotated);
    expect(error.reason).toBe('different-epoch');
    expect(error.message).toContain('key epochs 1 and 2');
    expect(error.message).toContain('open the copy with epoch 2');
  });

  it('refuses copies in different sign-in modes', async () => {
    const t = await testVault('password-or-key');
    const keyOnly = await reshape(t.vault, { mode: 'key-only', clock: t.clock });
    const error = refusal(t.vault, keyOnly);
    expect(error.reason).toBe('different-mode');
    expect(error.message).toContain('password-or-key and key-only');
  });

  it('refuses a copy that opened to another master key under the same vault id and epoch', async () => {
    const t = await testVault('password-or-key');
    const error = refusal(t.vault, { body: t.vault.body, master: randomBytes(32) });
    expect(error.reason).toBe('different-master-key');
  });

  it('keeps a deleted entry deleted, even against an edit made later on the other desktop', async () => {
    const t = await testVault('password-or-key');
    const [a, b] = [new Replica('desktop-a', t.vault), new Replica('desktop-b', t.vault)];
    a.delete(FIRST);
    for (let i = 0; i < 10; i++) b.clock.tick();
    b.put(FIRST, 'edited after the deletion');
    for (const merged of [mergeVaults(a.vault, b.vault), mergeVaults(b.vault, a.vault)]) {
      expect(merged.body.entries[FIRST]).toEqual(a.vault.body.entries[FIRST]);
      expect(openEntries(merged).map((e) => e.id)).not.toContain(FIRST);
    }
  });

  it('takes the later of two edits of one entry', async () => {
    const t = await testVault('password-or-key');
    const [a, b] = [new Replica('desktop-a', t.vault), new Replica('desktop-b', t.vault)];
    a.put(FIRST, 'earlier');
    b.clock.tick();
    b.put(FIRST, 'later');
    const merged = new Replica('desktop-c', mergeVaults(a.vault, b.vault));
    expect(merged.entry(FIRST)?.service).toBe('later');
  });

  it('refuses a record that fails its tag, naming the entry and no content', async () => {
    const t = await testVault('password-or-key');
    const b = new Replica('desktop-b', t.vault);
    b.put(FIRST, 'edited');
    const record = b.vault.body.entries[FIRST]!;
    const ciphertext = bytes(record.ciphertext);
    ciphertext[0] = ciphertext[0]! ^ 1;
    const forged = {
      ...b.vault,
      body: { ...b.vault.body, entries: { [FIRST]: { ...record, ciphertext: base64(ciphertext) } } },
    };
    expect(() => mergeVaults(t.vault, forged)).toThrow(VaultDamagedError);
    expect(() => mergeVaults(t.vault, forged)).toThrow(`entry ${FIRST} fails its authentication tag`);
  });

  it('refuses, through the lock-out guard, a merge in which each desktop removed the other way in', async () => {
    const t = await testVault('password-or-key');
    const [a, b] = [new Replica('desktop-a', t.vault), new Replica('desktop-b', t.vault)];
    a.vault = removeSlot(a.vault, slotIdOf(a.vault, 'password'), a.clock);
    b.removeKey(0);
    expect(() => mergeVaults(a.vault, b.vault)).toThrow(VaultLockoutError);
  });
});
