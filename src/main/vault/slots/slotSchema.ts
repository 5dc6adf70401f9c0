// The slot records of the vault file: one zod schema per slot type, tombstones, and the share a slot wraps.

import { z } from 'zod';
import { base64Of, hlcSchema } from '../file/encodedBytes.js';

/**
 * What a slot wraps: the whole master key, or one of its two XOR shares in password-and-key mode (the password's share
 * under the password slot, the key share under each key slot).
 */
export const slotShare = z.enum(['master', 'password-share', 'key-share']);
export type SlotShare = z.infer<typeof slotShare>;

export const SLOT_TYPES = ['password', 'fido2-hmac-secret', 'recovery', 'os-keychain'] as const;
export type SlotType = (typeof SLOT_TYPES)[number];

const argon2Schema = z.strictObject({
  m: z
    .number()
    .int()
    .min(8)
    .max(4 * 1024 * 1024),
  t: z.number().int().min(1).max(1000),
  p: z.number().int().min(1).max(255),
  salt: base64Of({ exact: 16 }),
});

const live = {
  hlc: hlcSchema,
  deleted: z.literal(false),
  share: slotShare,
  nonce: base64Of({ exact: 12 }),
  /** The 32-byte key or share under AES-256-GCM, tag appended. */
  wrapped: base64Of({ exact: 48 }),
};

/** A 32-byte secret under AES-256-GCM: its nonce and the 48 bytes with the tag. */
const sealedSecret = { nonce: base64Of({ exact: 12 }), wrapped: base64Of({ exact: 48 }) };

export const passwordSlotSchema = z.strictObject({ type: z.literal('password'), kdf: argon2Schema, ...live });
/**
 * `kdf` stretches the password; with the slot's random recovery secret it makes the key of `wrapped`. The secret itself
 * is sealed twice: under the code (what recovery opens) and under the master key (so whoever holds the open vault can
 * rewrap the password layer on a password change, without the code).
 */
export const recoverySlotSchema = z.strictObject({
  type: z.literal('recovery'),
  kdf: argon2Schema,
  secretUnderCode: z.strictObject({ kdf: argon2Schema, ...sealedSecret }),
  secretUnderMaster: z.strictObject(sealedSecret),
  ...live,
});
export const fido2SlotSchema = z.strictObject({
  type: z.literal('fido2-hmac-secret'),
  credentialId: base64Of({ min: 16, max: 1023 }),
  salt: base64Of({ exact: 32 }),
  uv: z.boolean(),
  ...live,
});
/**
 * A key without hmac-secret opens the vault through the OS keychain (desktop app only): `wrapped` is the key or share
 * under a random 32-byte slot key, as in every slot, and `sealed` is that slot key as the keychain sealed it
 * (Electron's safeStorage: DPAPI, macOS Keychain, libsecret or KWallet). The keychain's blob is at most a few hundred
 * bytes; 4096 leaves room for any of them.
 */
export const osKeychainSlotSchema = z.strictObject({
  type: z.literal('os-keychain'),
  credentialId: base64Of({ min: 16, max: 1023 }),
  sealed: base64Of({ min: 1, max: 4096 }),
  ...live,
});
/** A removed slot: its type and clock stay (a merge must not bring it back), its key material is gone. */
export const slotTombstoneSchema = z.strictObject({
  type: z.enum(SLOT_TYPES),
  hlc: hlcSchema,
  deleted: z.literal(true),
});

export const slotSchema = z.union([
  slotTombstoneSchema,
  z.discriminatedUnion('type', [passwordSlotSchema, recoverySlotSchema, fido2SlotSchema, osKeychainSlotSchema]),
]);

export type PasswordSlot = z.infer<typeof passwordSlotSchema>;
export type RecoverySlot = z.infer<typeof recoverySlotSchema>;
export type Fido2Slot = z.infer<typeof fido2SlotSchema>;
export type OsKeychainSlot = z.infer<typeof osKeychainSlotSchema>;
export type SlotTombstone = z.infer<typeof slotTombstoneSchema>;
export type Slot = z.infer<typeof slotSchema>;
export type LiveSlot = Exclude<Slot, SlotTombstone>;
