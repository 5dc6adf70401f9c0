import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VaultDamagedError } from '../../../../src/main/vault/errors/VaultDamagedError.js';
import { VaultUnlockError } from '../../../../src/main/vault/errors/VaultUnlockError.js';
import { openEntries } from '../../../../src/main/vault/file/entryRecords.js';
import { parseVaultFile, vaultFileBytes } from '../../../../src/main/vault/file/vaultText.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';
import { CHEAP, PASSWORD, testVault, type TestVault } from '../slots/testVault.js';

/** Reads `data` all the way to the entries with every factor, as the app would on unlock. */
async function openAll(data: Uint8Array, t: TestVault) {
  const body = parseVaultFile(data);
  const vault = await unlock(body, { password: PASSWORD, keys: [t.key.answer(t.salt, true)] }, { minArgon2: CHEAP });
  return openEntries(vault);
}

describe('a changed byte anywhere in the vault file', () => {
  it('opens unchanged, as a control', async () => {
    const t = await testVault('password-or-key');
    expect(await openAll(vaultFileBytes(t.vault.body), t)).toHaveLength(2);
  });

  it('is detected at every position of a small vault, as VaultDamagedError naming the part', async () => {
    const t = await testVault('password-or-key', 1);
    const good = vaultFileBytes(t.vault.body);
    for (let at = 0; at < good.length; at++) {
      for (const mask of [0x01, 0x20]) {
        const bad = Buffer.from(good);
        bad[at] = bad[at]! ^ mask;
        const error = await openAll(bad, t).then(
          () => new Error(`byte ${at} ^ ${mask} went unnoticed`),
          (e: unknown) => e,
        );
        expect(error, `byte ${at} ^ ${mask}`).toBeInstanceOf(VaultDamagedError);
        expect((error as VaultDamagedError).part).not.toBe('');
      }
    }
  });

  it('is detected at random positions of a bigger vault, whatever the new value', async () => {
    const t = await testVault('password-and-key', 8);
    const good = vaultFileBytes(t.vault.body);
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
        const bad = Buffer.from(good);
        bad[at] = bad[at]! ^ mask;
        await expect(openAll(bad, t)).rejects.toBeInstanceOf(VaultDamagedError);
      }),
      { numRuns: Math.min(FUZZ_RUNS, 300) },
    );
  });

  it('is caught by the keys when someone also fixes the checksum: never a wrong plaintext', async () => {
    const t = await testVault('password-or-key', 2);
    const text = vaultFileBytes(t.vault.body).toString('utf8');
    // Characters of base64 values and numbers: the edits that can pass the schema, so the keys must catch them.
    const editable = [...text.matchAll(/"([A-Za-z0-9+/]{8,}=*)"|: ([0-9]+)/g)].map((m) => ({
      at: m.index + (m[1] ? 1 : 2),
      values: m[1] ? ['A', 'B', '7'] : ['1', '7'],
    }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...editable), fc.nat(2), async ({ at, values }, pick) => {
        const value = values[pick % values.length]!;
        fc.pre(text[at] !== value);
        const raw = JSON.parse(text.slice(0, at) + value + text.slice(at + 1)) as Record<string, unknown>;
        let data: Buffer;
        try {
          data = vaultFileBytes(raw as never);
          parseVaultFile(data);
        } catch {
          return; // refused before any key is used
        }
        const outcome = await openAll(data, t).catch((e: unknown) => e);
        // Only an edit that changed nothing the checksum covers (the checksum itself) opens.
        if (Array.isArray(outcome)) expect(data.toString('utf8')).toBe(text);
        else expect(outcome instanceof VaultDamagedError || outcome instanceof VaultUnlockError).toBe(true);
      }),
      { numRuns: Math.min(FUZZ_RUNS, 200) },
    );
  });
});
