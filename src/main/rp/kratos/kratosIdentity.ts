// The Ory Kratos identity import document for WebAuthn keys (Ory docs "Import identities", WebAuthn credentials) and its zod schema.

import { z } from 'zod';
import { base64Bytes, uint32 } from '../../store/encodedFields.js';

/**
 * One entry of `credentials.webauthn.config.credentials`, with Kratos's field names and encodings: Go's encoding/json
 * writes []byte as padded standard base64 (id, public_key, aaguid), and time.Time as RFC 3339 (added_at).
 */
export const kratosWebAuthnCredentialSchema = z.looseObject({
  id: base64Bytes,
  public_key: base64Bytes,
  attestation_type: z.string(),
  display_name: z.string().optional(),
  added_at: z.iso.datetime({ offset: true }).optional(),
  is_passwordless: z.boolean().optional(),
  authenticator: z.looseObject({
    aaguid: base64Bytes,
    sign_count: uint32,
    clone_warning: z.boolean(),
  }),
  flags: z
    .looseObject({
      user_present: z.boolean(),
      user_verified: z.boolean(),
      backup_eligible: z.boolean(),
      backup_state: z.boolean(),
    })
    .optional(),
  /** Kratos's name is singular (`Transport []protocol.AuthenticatorTransport \`json:"transport"\``). */
  transport: z.array(z.string()).optional(),
});

export const kratosIdentitySchema = z.looseObject({
  schema_id: z.string(),
  traits: z.looseObject({ email: z.string() }),
  credentials: z.looseObject({
    webauthn: z.looseObject({
      /** In a Kratos identity, the identity schema's webauthn identifier trait (the email). */
      identifiers: z.array(z.string()).optional(),
      config: z.looseObject({
        user_handle: base64Bytes.optional(),
        credentials: z.array(kratosWebAuthnCredentialSchema),
      }),
    }),
  }),
});

export type KratosWebAuthnCredential = z.infer<typeof kratosWebAuthnCredentialSchema>;
export type KratosIdentity = z.infer<typeof kratosIdentitySchema>;

/** Ory's preset identity schema with the email as identifier, which Latchkey's accounts match. */
export const KRATOS_SCHEMA_ID = 'preset://email';
