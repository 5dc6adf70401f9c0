// Small vaults for the vault tests: cheap Argon2id parameters (through the explicit floor option), a virtual key output.

import { createHmac, randomBytes } from 'node:crypto';
import { HybridLogicalClock } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import type { Argon2Params } from '../../../../src/main/vault/crypto/argon2id.js';
import type { VaultMode } from '../../../../src/main/vault/file/vaultFileSchema.js';
import { putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { createVault } from '../../../../src/main/vault/slots/createVault.js';
import { newFido2Salt, type SlotSpec } from '../../../../src/main/vault/slots/makeSlot.js';
import type { KeyOutput } from '../../../../src/main/vault/slots/slotKeys.js';
import type { UnlockedVault } from '../../../../src/main/vault/slots/unlock.js';

/** Far below the production floor, so a test unlocks in a millisecond; passed as `minArgon2` wherever a floor applies. */
export const CHEAP: Argon2Params = { m: 64, t: 1, p: 1 };

export const PASSWORD = 'correct horse battery staple';
export const RECOVERY_CODE = 'RCVR-7Q4M-ZX2P-9KLW';
export const ENTRY_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** A software security key: hmac-secret as HMAC-SHA256 under a per-UV secret, as authenticators derive it. */
export class FakeHmacKey {
  readonly credentialId = randomBytes(32);
  readonly #secrets = { uv: randomBytes(32), noUv: randomBytes(32) };

  answer(salt: Uint8Array, uv: boolean): KeyOutput {
    const output = createHmac('sha256', uv ? this.#secrets.uv : this.#secrets.noUv)
      .update(salt)
      .digest();
    return { credentialId: this.credentialId, uv, output };
  }
}

export interface TestVault {
  vault: UnlockedVault;
  key: FakeHmacKey;
  salt: Buffer;
  clock: HybridLogicalClock;
}

/** A record as Latchkey writes it (services/vault/vaultRecords.ts), cut to the members these tests look at. */
export function entryJson(service: string): Uint8Array {
  return Buffer.from(
    JSON.stringify({ kind: 'entry', otp_type: 'totp', service, account: 'me@example.org', secret: ENTRY_SECRET }),
  );
}

/** A vault with a password slot, one key slot (with UV) and a recovery slot, plus `entries` entries. */
export async function testVault(mode: VaultMode, entries = 2): Promise<TestVault> {
  const clock = new HybridLogicalClock({ device: 'test-device', now: () => 1_700_000_000_000 });
  const key = new FakeHmacKey();
  const salt = newFido2Salt();
  const slots: SlotSpec[] = [
    { type: 'fido2-hmac-secret', key: key.answer(salt, true), salt },
    { type: 'recovery', recoveryCode: RECOVERY_CODE, password: PASSWORD, params: CHEAP },
  ];
  if (mode !== 'key-only') slots.unshift({ type: 'password', password: PASSWORD, params: CHEAP });
  let vault = await createVault({ mode, slots, clock });
  for (let i = 0; i < entries; i++)
    vault = putEntry(
      vault,
      { id: `00000000-0000-4000-8000-00000000000${i}`, data: entryJson(`service ${i}`) },
      clock.tick(),
    );
  return { vault, key, salt, clock };
}
