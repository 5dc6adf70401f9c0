// A registered security key as the relying party stores it: Ory Kratos's field names (DESIGN.md section 5) plus Latchkey's own.

import { z } from 'zod';
import { base64Bytes, base64urlBytes, isoInstant, uint32, uuidText } from '../../store/encodedFields.js';
import { INVISIBLE } from '../../text/quoteForMessage.js';

/** WebAuthn L3 AuthenticatorTransport values; anything else a client reports is dropped. */
export const AUTHENTICATOR_TRANSPORTS = ['usb', 'nfc', 'ble', 'smart-card', 'hybrid', 'internal'] as const;
export type AuthenticatorTransportName = (typeof AUTHENTICATOR_TRANSPORTS)[number];

/** What a person may call a key: 1 to 64 characters, no control characters. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'a key name cannot be empty')
  .max(64, 'a key name has at most 64 characters')
  .refine((s) => !/\p{Cc}/u.test(s), { message: 'a key name cannot contain control characters' });

/**
 * What a name given now may be: no invisible characters either. Format characters (\p{Cf}: right-to-left overrides
 * that make "abc\u{202E}gpj.exe" read "abcexe.jpg", zero-width spaces and joiners, the soft hyphen), line and
 * paragraph separators, private-use and unassigned code points, and the blank letters (Hangul fillers, the blank
 * Braille pattern) would let two keys look alike or a name look like something else. Stored names keep the older,
 * looser rule so that a file written before stays readable.
 */
export const newDisplayNameSchema = displayNameSchema.refine((s) => !INVISIBLE.test(s), {
  message: 'a key name cannot contain invisible or direction-changing characters (such as U+202E or U+200B)',
});

export const credentialRecordSchema = z.strictObject({
  /** The credential ID, base64url as in the WebAuthn JSON (`PublicKeyCredential.id`). */
  id: base64urlBytes,
  display_name: displayNameSchema,
  added_at: isoInstant,
  /** Last successful sign-in with this key; null until then. */
  last_used_at: isoInstant.nullable(),
  /** A discoverable credential, usable to sign in without typing the email (WebAuthn-only mode). */
  is_passwordless: z.boolean(),
  /** The COSE_Key exactly as the key sent it, padded standard base64 (as Kratos stores it). */
  public_key: base64Bytes,
  /** The attestation statement format the key answered with (packed, fido-u2f, none...), as go-webauthn records it. */
  attestation_type: z.string().min(1),
  authenticator: z.strictObject({
    /** The key model's AAGUID as UUID text; all zeros for keys that hide it (and U2F keys). */
    aaguid: uuidText,
    sign_count: uint32,
    /** Set when the signature counter failed to advance: the key may have been cloned. Never cleared automatically. */
    clone_warning: z.boolean(),
  }),
  transports: z.array(z.enum(AUTHENTICATOR_TRANSPORTS)),
  /**
   * The authenticator data flags at registration, except backup_state, which follows the latest sign-in, and
   * user_verified, which turns true once a sign-in with this key verified the user (what "can verify" means here).
   */
  flags: z.strictObject({
    user_present: z.boolean(),
    user_verified: z.boolean(),
    backup_eligible: z.boolean(),
    backup_state: z.boolean(),
  }),
  /** The WebAuthn user handle the key stored with a discoverable credential (the owner's), base64url. */
  user_handle: base64urlBytes,
  /** The key confirmed the hmac-secret extension at registration, so a vault slot can derive a key from it. */
  hmac_secret: z.boolean(),
  /** The RP ID the credential is bound to; it stops working if the rp_id setting changes. */
  rp_id: z.string().min(1),
});

export type CredentialRecord = z.infer<typeof credentialRecordSchema>;

/** What remains of a revoked key: enough to refuse it by name, never enough to use it. */
export const revokedCredentialSchema = z.strictObject({
  id: base64urlBytes,
  display_name: displayNameSchema,
  revoked_at: isoInstant,
  /** `revoked`: the user revoked it; `recovery`: account recovery replaced it. */
  reason: z.enum(['revoked', 'recovery']),
});

export type RevokedCredential = z.infer<typeof revokedCredentialSchema>;
