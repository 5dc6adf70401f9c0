// An account as the relying party stores it: email, password hash, user handle, mode, recovery code, throttles and keys.

import { z } from 'zod';
import { credentialRecordSchema, revokedCredentialSchema } from '../keys/credentialRecord.js';
import { base64urlBytes, isoInstant } from '../../store/encodedFields.js';
import { secretHashSchema } from '../../secrets/secretHash.js';

/** Failed attempts since the last success, persisted so a restart does not reset the wait. */
export const throttleStateSchema = z.strictObject({
  failures: z.number().int().min(0),
  last_failure_at: isoInstant.nullable(),
});

export type ThrottleState = z.infer<typeof throttleStateSchema>;

export const userRecordSchema = z.strictObject({
  id: z.uuid(),
  /** Normalised (see normalizeEmail): the WebAuthn user name and the sign-in identifier. */
  email: z.string().min(3).max(254),
  /** 32 random bytes, base64url: the WebAuthn user.id, never derived from the email (L3 section 14.6.1). */
  user_handle: base64urlBytes,
  created_at: isoInstant,
  password: secretHashSchema,
  /** The one-time recovery code's hash; null once it is spent and no new one was made. */
  recovery_code: z.strictObject({ created_at: isoInstant, hash: secretHashSchema }).nullable(),
  /** WebAuthn only (passwordless): the password no longer signs in, a key alone does. Off: password, then a key. */
  webauthn_only: z.boolean(),
  password_throttle: throttleStateSchema,
  recovery_throttle: throttleStateSchema,
  credentials: z.array(credentialRecordSchema),
  revoked_credentials: z.array(revokedCredentialSchema),
});

export type UserRecord = z.infer<typeof userRecordSchema>;
