// An account as the relying party stores it: email, password hash, user handle, mode, recovery code, throttles and keys.

import { z } from 'zod';
import { credentialRecordSchema, revokedCredentialSchema } from '../keys/credentialRecord.js';
import { base64urlBytes, isoInstant } from '../../store/encodedFields.js';
import { secretHashSchema } from '../../secrets/secretHash.js';
import { signInModeSchema } from '../settings/signInMode.js';

/** Failed attempts since the last success, persisted so a restart does not reset the wait. */
export const throttleStateSchema = z.strictObject({
  failures: z.number().int().min(0),
  last_failure_at: isoInstant.nullable(),
});

export type ThrottleState = z.infer<typeof throttleStateSchema>;

const currentUserRecordSchema = z.strictObject({
  id: z.uuid(),
  /** Normalised (see normalizeEmail): the WebAuthn user name and the sign-in identifier. */
  email: z.string().min(3).max(254),
  /** 32 random bytes, base64url: the WebAuthn user.id, never derived from the email (L3 section 14.6.1). */
  user_handle: base64urlBytes,
  created_at: isoInstant,
  password: secretHashSchema,
  /** The one-time recovery code's hash; null once it is spent and no new one was made. */
  recovery_code: z.strictObject({ created_at: isoInstant, hash: secretHashSchema }).nullable(),
  /** How the account signs in (settings/signInMode.ts). */
  sign_in_mode: signInModeSchema,
  password_throttle: throttleStateSchema,
  recovery_throttle: throttleStateSchema,
  credentials: z.array(credentialRecordSchema),
  revoked_credentials: z.array(revokedCredentialSchema),
});

/**
 * Files written before sign-in modes had names carry `webauthn_only` instead: true was key-only, false the password
 * then a key. They are read as such and written back with `sign_in_mode`.
 */
export const userRecordSchema = z.preprocess(upgradeLegacyMode, currentUserRecordSchema);

export type UserRecord = z.infer<typeof currentUserRecordSchema>;

function upgradeLegacyMode(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !('webauthn_only' in raw) || 'sign_in_mode' in raw) return raw;
  const { webauthn_only: webauthnOnly, ...rest } = raw as Record<string, unknown>;
  if (typeof webauthnOnly !== 'boolean') return raw;
  return { ...rest, sign_in_mode: webauthnOnly ? 'key-only' : 'password-and-key' };
}
