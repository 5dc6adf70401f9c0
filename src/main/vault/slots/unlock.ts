// Opens a vault with the factors its mode needs, checks the slot set's MAC, and says which factor is missing or wrong.

import type { OsKeychain } from '../../secrets/OsKeychain.js';
import { zeroize } from '../../secrets/zeroize.js';
import type { Secret } from '../../secrets/secretBytes.js';
import { open } from '../crypto/aesGcm.js';
import { slotAad, type VaultHeader } from '../crypto/additionalData.js';
import { describeArgon2, isWeakerArgon2, MIN_ARGON2_PARAMS, type Argon2Params } from '../crypto/argon2id.js';
import { joinShares } from '../crypto/xorShares.js';
import { VaultDamagedError } from '../errors/VaultDamagedError.js';
import { VaultUnlockError } from '../errors/VaultUnlockError.js';
import { bytes } from '../file/encodedBytes.js';
import type { VaultBody } from '../file/vaultText.js';
import type { Fido2Slot, LiveSlot, OsKeychainSlot, PasswordSlot, SlotShare } from './slotSchema.js';
import { shareFor } from './shareFor.js';
import { openRecoverySlot, type RecoveryMiss } from './recoverySlot.js';
import { fido2SlotKey, osKeychainSlotKey, passwordSlotKey, type KeyOutput } from './slotKeys.js';
import { slotSetMacMatches } from './slotSetMac.js';

export interface UnlockFactors {
  password?: Secret;
  /** With the password: opens the recovery slot (its secret from the code, then the key from secret and password). */
  recoveryCode?: Secret;
  /** Outputs of security keys for their slots' salts (see keyRequests). */
  keys?: readonly KeyOutput[];
  /**
   * Credential ids of security keys whose assertion the relying party has just verified (a sign-in): their
   * os-keychain slots open through `keychain`. Only a verified assertion may name one: the slot asks nothing of the
   * key itself.
   */
  verifiedKeys?: readonly Uint8Array[];
  /** The OS keychain (the desktop app's). Without it an os-keychain slot does not open, and the failure says so. */
  keychain?: OsKeychain;
}

export interface UnlockOptions {
  /** The weakest Argon2id parameters a slot may hold; only tests lower it. @default MIN_ARGON2_PARAMS */
  minArgon2?: Argon2Params;
}

/** An open vault: the file as read and the master key, which the holder zeroes on lock. */
export interface UnlockedVault {
  body: VaultBody;
  master: Buffer;
}

/** What to ask each security key: per credential, the salt and the UV state its slot was made with. */
export function keyRequests(body: VaultBody): { slotId: string; credentialId: Buffer; salt: Buffer; uv: boolean }[] {
  return Object.entries(body.slots)
    .filter((entry): entry is [string, Fido2Slot] => entry[1].type === 'fido2-hmac-secret' && !entry[1].deleted)
    .map(([slotId, slot]) => ({ slotId, credentialId: bytes(slot.credentialId), salt: bytes(slot.salt), uv: slot.uv }));
}

export async function unlock(
  body: VaultBody,
  factors: UnlockFactors,
  options: UnlockOptions = {},
): Promise<UnlockedVault> {
  const floor = options.minArgon2 ?? MIN_ARGON2_PARAMS;
  const header: VaultHeader = { vault: body.vault, epoch: body.epoch };
  const live = Object.entries(body.slots).filter((entry): entry is [string, LiveSlot] => !entry[1].deleted);
  for (const [id, slot] of live) {
    if (slot.share !== shareFor(body.mode, slot.type))
      throw new VaultDamagedError({
        part: `slot ${id}`,
        problem: `wraps the ${slot.share}, not what ${body.mode} mode needs`,
      });
    const kdfs = slot.type === 'recovery' ? [slot.kdf, slot.secretUnderCode.kdf] : 'kdf' in slot ? [slot.kdf] : [];
    for (const kdf of kdfs)
      if (isWeakerArgon2(kdf, floor))
        throw new VaultDamagedError({
          part: `slot ${id}`,
          problem: `has Argon2id parameters ${describeArgon2(kdf)}, below the floor ${describeArgon2(floor)}`,
        });
  }
  const opened = new Map<SlotShare, Buffer>();
  const tried: string[] = [];
  let uvMismatch = false;
  let recoveryMiss: RecoveryMiss | undefined;
  let keychainMiss: Error | undefined;
  try {
    for (const key of factors.keys ?? []) {
      for (const [id, slot] of live) {
        if (slot.type !== 'fido2-hmac-secret' || !bytes(slot.credentialId).equals(Buffer.from(key.credentialId)))
          continue;
        if (slot.uv !== key.uv) {
          uvMismatch = true;
          continue;
        }
        const slotKey = fido2SlotKey(key, bytes(slot.salt));
        keep(opened, slot.share, unwrap(slotKey, header, id, slot));
      }
      tried.push('security key');
    }
    for (const credentialId of factors.verifiedKeys ?? []) {
      for (const [id, slot] of live) {
        if (slot.type !== 'os-keychain' || !bytes(slot.credentialId).equals(Buffer.from(credentialId))) continue;
        if (opened.has(slot.share)) continue;
        try {
          const slotKey = await osKeychainSlotKey(factors.keychain, bytes(slot.sealed), id);
          const share = unwrap(slotKey, header, id, slot);
          // The keychain gave a 32-byte key that does not open the wrap: the slot was changed, or its sealed key
          // belongs to another slot. Either is damage (a wrong keychain fails to open `sealed` at all).
          if (!share)
            throw new VaultDamagedError({
              part: `slot ${id}`,
              problem: 'does not open with the slot key the OS keychain gave for it',
            });
          keep(opened, slot.share, share);
        } catch (error) {
          if (!(error instanceof VaultUnlockError || error instanceof VaultDamagedError)) throw error;
          keychainMiss ??= error;
        }
      }
      if (!tried.includes('security key')) tried.push('security key');
    }
    if (factors.password !== undefined && factors.recoveryCode === undefined && !opened.has('master')) {
      for (const [id, slot] of live) {
        if (slot.type !== 'password') continue;
        const slotKey = await passwordSlotKey(factors.password, bytes(slot.kdf.salt), slot.kdf);
        keep(opened, slot.share, unwrap(slotKey, header, id, slot));
      }
      tried.push('password');
    }
    if (factors.recoveryCode !== undefined) {
      if (factors.password === undefined)
        throw new VaultUnlockError(
          'missing-factor',
          'password',
          'Recovery needs the password together with the recovery code.',
        );
      // A code that opens any recovery slot's secret is right: the password is then the factor to ask again.
      recoveryMiss = 'recovery code';
      for (const [id, slot] of live) {
        if (slot.type !== 'recovery' || opened.has(slot.share)) continue;
        const result = await openRecoverySlot({ header, id }, slot, {
          recoveryCode: factors.recoveryCode,
          password: factors.password,
        });
        if ('share' in result) {
          keep(opened, slot.share, result.share);
          recoveryMiss = undefined;
        } else if (result.miss === 'password' && recoveryMiss !== undefined) recoveryMiss = 'password';
      }
      tried.push('recovery code and password');
    }
    const master = assemble(opened);
    if (!master) throw keychainMiss ?? unlockFailure(body, opened, tried, { uvMismatch, recoveryMiss });
    if (!slotSetMacMatches(master, header, body.mode, body.slots, bytes(body.slotsMac))) {
      zeroize(master);
      throw new VaultDamagedError({ part: 'the slot list', problem: 'does not match its MAC under the master key' });
    }
    return { body, master };
  } finally {
    for (const share of opened.values()) zeroize(share);
  }
}

function unwrap(slotKey: Buffer, header: VaultHeader, id: string, slot: PasswordSlot | Fido2Slot | OsKeychainSlot) {
  try {
    return open(
      slotKey,
      { nonce: bytes(slot.nonce), ciphertext: bytes(slot.wrapped) },
      slotAad(header, id, slot.type, slot.share),
    );
  } finally {
    zeroize(slotKey);
  }
}

function keep(opened: Map<SlotShare, Buffer>, share: SlotShare, value: Buffer | undefined): void {
  if (!value) return;
  if (opened.has(share)) zeroize(value);
  else opened.set(share, value);
}

function assemble(opened: Map<SlotShare, Buffer>): Buffer | undefined {
  const master = opened.get('master');
  if (master) return Buffer.from(master);
  const password = opened.get('password-share');
  const key = opened.get('key-share');
  return password && key ? joinShares(password, key) : undefined;
}

function unlockFailure(
  body: VaultBody,
  opened: Map<SlotShare, Buffer>,
  tried: string[],
  misses: { uvMismatch: boolean; recoveryMiss: RecoveryMiss | undefined },
): Error {
  const { uvMismatch, recoveryMiss } = misses;
  if (opened.has('password-share'))
    return new VaultUnlockError(
      'missing-factor',
      'security key',
      'The password is right; this vault opens with the password together with one of its security keys (password-and-key mode).',
    );
  if (opened.has('key-share'))
    return new VaultUnlockError(
      'missing-factor',
      'password',
      'The security key is right; this vault opens with it together with the password (password-and-key mode).',
    );
  if (tried.length === 0) {
    const needed = {
      'password-or-key': 'the password or a security key',
      'password-and-key': 'the password and a security key',
      'key-only': 'a security key',
    }[body.mode];
    return new VaultUnlockError(
      'missing-factor',
      body.mode === 'key-only' ? 'security key' : 'password',
      `This vault opens with ${needed} (${body.mode} mode); none was given.`,
    );
  }
  if (recoveryMiss === 'password')
    return new VaultUnlockError(
      'wrong-factor',
      'password',
      'The recovery code is right, but the password given does not open the recovery slot with it.',
    );
  if (recoveryMiss === 'recovery code') {
    const hasSlot = Object.values(body.slots).some((slot) => slot.type === 'recovery' && !slot.deleted);
    return new VaultUnlockError(
      'wrong-factor',
      'recovery code',
      hasSlot
        ? "The recovery code given does not open this vault's recovery slot."
        : 'This vault has no recovery slot (no recovery code was set up, or it was spent and not replaced).',
    );
  }
  if (uvMismatch)
    return new VaultUnlockError(
      'wrong-factor',
      'security key',
      'The security key was asked with a user verification setting other than the one its slot was made with: ask it again the way keyRequests says.',
    );
  if (body.mode === 'key-only' && tried.length === 1 && tried[0] === 'password')
    return new VaultUnlockError(
      'missing-factor',
      'security key',
      'This vault opens with a security key only (key-only mode): the password alone does not open it.',
    );
  return new VaultUnlockError(
    'wrong-factor',
    tried[0]!,
    `The ${tried.join(' and the ')} given ${tried.length > 1 ? 'do' : 'does'} not open this vault.`,
  );
}
