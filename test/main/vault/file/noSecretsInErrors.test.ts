import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HybridLogicalClock } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import { openEntries, putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { parseVaultFile, vaultFileBytes } from '../../../../src/main/vault/file/vaultText.js';
import { removeSlot } from '../../../../src/main/vault/slots/removeSlot.js';
import { reshape } from '../../../../src/main/vault/slots/reshape.js';
import { unlock, type UnlockedVault } from '../../../../src/main/vault/slots/unlock.js';
import { CHEAP } from '../slots/testVault.js';

const root = join(import.meta.dirname, '../../../..');
const PASSWORD = 'vector password 1';
const RECOVERY_CODE = 'VCTR-2QJ7-M4XK-88PA';
const KEY = { credentialId: Buffer.alloc(32, 0x11), uv: true, output: Buffer.alloc(32, 0x22) };

/** Every way the tests know to make the vault code throw, run against the test vector. */
async function collectErrors(data: Buffer, vault: UnlockedVault): Promise<unknown[]> {
  const errors: unknown[] = [];
  const attempt = async (fn: () => unknown) => {
    try {
      await fn();
    } catch (error) {
      errors.push(error);
    }
  };
  const body = vault.body;
  const clock = new HybridLogicalClock({ device: 'scan' });
  await attempt(() => unlock(body, { password: `${PASSWORD}x` }, { minArgon2: CHEAP }));
  await attempt(() => unlock(body, { recoveryCode: RECOVERY_CODE }, { minArgon2: CHEAP }));
  await attempt(() => unlock(body, { recoveryCode: `${RECOVERY_CODE}x`, password: PASSWORD }, { minArgon2: CHEAP }));
  await attempt(() => unlock(body, { keys: [{ ...KEY, uv: false }] }, { minArgon2: CHEAP }));
  await attempt(() => unlock(body, { password: PASSWORD }));
  await attempt(() => unlock(body, {}, { minArgon2: CHEAP }));
  await attempt(() => reshape(vault, { mode: 'password-and-key', password: PASSWORD, params: CHEAP, clock }));
  await attempt(() =>
    reshape(vault, { mode: 'key-only', clock }).then((v) => reshape(v, { mode: 'password-or-key', clock })),
  );
  await attempt(() => {
    let v = vault;
    for (const [id, slot] of Object.entries(v.body.slots)) if (slot.type !== 'recovery') v = removeSlot(v, id, clock);
  });
  await attempt(() => putEntry(vault, { id: PASSWORD, data: Buffer.from('{}') }, clock.tick()));
  for (let at = 0; at < data.length; at += 7) {
    const bad = Buffer.from(data);
    bad[at] = bad[at]! ^ 0x04;
    await attempt(() => parseVaultFile(bad));
  }
  const swapped = { ...vault, body: { ...body, vault: '00000000-0000-4000-8000-000000000000' } };
  await attempt(() => openEntries(swapped));
  await attempt(() => unlock(swapped.body, { password: PASSWORD }, { minArgon2: CHEAP }));
  return errors;
}

function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e; e = (e as { cause?: unknown }).cause) {
    parts.push(String(e), (e as Error).stack ?? '', JSON.stringify(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join('\n');
}

describe('no secret in an error', () => {
  it('scans every error the vault code throws in these tests for the vector secrets', async () => {
    const data = await readFile(join(root, 'test/fixtures/vault/vector-v1.json'));
    const vault = await unlock(parseVaultFile(data), { password: PASSWORD }, { minArgon2: CHEAP });
    const entrySecrets = openEntries(vault).map(
      (e) => (JSON.parse(Buffer.from(e.data).toString()) as { secret: string }).secret,
    );
    const secrets = [
      PASSWORD,
      RECOVERY_CODE,
      vault.master.toString('hex'),
      vault.master.toString('base64'),
      KEY.output.toString('hex'),
      KEY.output.toString('base64'),
      ...entrySecrets,
    ];
    const errors = await collectErrors(data, vault);
    expect(errors.length).toBeGreaterThan(data.length / 7);
    for (const error of errors) {
      const text = describeError(error);
      for (const secret of secrets) expect(text, String(error)).not.toContain(secret);
    }
    expect(vaultFileBytes(vault.body).toString()).not.toContain(entrySecrets[0]);
  });
});
