// Exports an account's keys as an Ory Kratos identity import document (credentials.webauthn with identifiers and config).

import { fromBase64Url } from '../../../ctap/index.js';
import { findUser } from '../accounts/findUser.js';
import { KRATOS_SCHEMA_ID, type KratosIdentity, type KratosWebAuthnCredential } from './kratosIdentity.js';
import type { RpContext } from '../RpContext.js';

export interface ExportKratosIdentityOptions {
  userId: string;
}

/**
 * Only Kratos's own fields go out, in its encodings: Latchkey's extras (last_used_at, hmac_secret, rp_id) have no
 * place there, and the password hash is not exported. Keys bound to another RP ID are included as they are; the
 * importing side must use the RP ID they were made for.
 */
export async function exportKratosIdentity(
  ctx: RpContext,
  options: ExportKratosIdentityOptions,
): Promise<KratosIdentity> {
  const user = findUser(ctx.store.value, { id: options.userId });
  const credentials = user.credentials.map((c): KratosWebAuthnCredential => ({
    id: standardBase64(fromBase64Url(c.id)),
    public_key: c.public_key,
    attestation_type: c.attestation_type,
    display_name: c.display_name,
    added_at: c.added_at,
    is_passwordless: c.is_passwordless,
    authenticator: {
      aaguid: standardBase64(Buffer.from(c.authenticator.aaguid.replace(/-/g, ''), 'hex')),
      sign_count: c.authenticator.sign_count,
      clone_warning: c.authenticator.clone_warning,
    },
    flags: { ...c.flags },
    transport: [...c.transports],
  }));
  const document: KratosIdentity = {
    schema_id: KRATOS_SCHEMA_ID,
    traits: { email: user.email },
    credentials: {
      webauthn: {
        identifiers: [user.email],
        config: { user_handle: standardBase64(fromBase64Url(user.user_handle)), credentials },
      },
    },
  };
  await ctx.audit.record({
    event: 'keys-exported',
    outcome: 'success',
    user_id: user.id,
    email: user.email,
    count: credentials.length,
  });
  return document;
}

function standardBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
