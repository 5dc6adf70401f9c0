// Imports the keys of an Ory Kratos identity document into an account: every entry validated, all or nothing.

import { coseToPublicKey, decodeCbor, formatAaguid, toBase64Url } from '../../../ctap/index.js';
import { coseAlgorithmName } from '../keys/coseAlgorithmName.js';
import {
  AUTHENTICATOR_TRANSPORTS,
  newDisplayNameSchema,
  type AuthenticatorTransportName,
  type CredentialRecord,
} from '../keys/credentialRecord.js';
import { defaultKeyName } from '../registration/defaultKeyName.js';
import { findCredential } from '../keys/findCredential.js';
import { findUser } from '../accounts/findUser.js';
import { kratosIdentitySchema, type KratosWebAuthnCredential } from './kratosIdentity.js';
import { normalizeEmail } from '../accounts/normalizeEmail.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';

export interface ImportKratosIdentityOptions {
  /** The account the keys join; the document's traits.email must be its email. */
  userId: string;
  /** The parsed JSON document, as received (validated here). */
  document: unknown;
}

export interface ImportKratosIdentityResult {
  imported: CredentialRecord[];
}

/** WebAuthn L3 section 4: a credential ID is at most 1023 bytes. */
const MAX_CREDENTIAL_ID_BYTES = 1023;
const COSE_ALG = 3;

/**
 * The keys are bound to the current rp_id: a Kratos document does not carry one, and Ory's docs warn that the RP ID
 * must match the one the keys were made for. The account adopts the document's user_handle when it has no key yet
 * (discoverable keys carry it); with keys already registered, a different user_handle is refused.
 */
export async function importKratosIdentity(
  ctx: RpContext,
  options: ImportKratosIdentityOptions,
): Promise<ImportKratosIdentityResult> {
  const parsed = kratosIdentitySchema.safeParse(options.document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RelyingPartyError(
      'import-invalid',
      `the Kratos identity document is malformed at ${issue.path.join('.') || '(document)'}: ${issue.message}`,
    );
  }
  const document = parsed.data;
  const user = findUser(ctx.store.value, { id: options.userId });
  const email = safeEmail(document.traits.email);
  if (email !== user.email) {
    throw new RelyingPartyError(
      'import-invalid',
      `the document is for ${document.traits.email}, but the keys would join ${user.email}`,
    );
  }
  const { config } = document.credentials.webauthn;
  const docHandle =
    config.user_handle === undefined ? undefined : toBase64Url(Buffer.from(config.user_handle, 'base64'));
  if (docHandle !== undefined && docHandle !== user.user_handle && user.credentials.length > 0) {
    throw new RelyingPartyError(
      'import-invalid',
      `credentials.webauthn.config.user_handle differs from the user handle of ${user.email}, which already has keys: imported discoverable keys would name another account`,
    );
  }
  const handle = docHandle ?? user.user_handle;
  const rpId = ctx.store.value.settings.rp_id;
  const now = new Date(ctx.now()).toISOString();
  const seen = new Set<string>();
  const records: CredentialRecord[] = [];
  config.credentials.forEach((entry, index) => {
    const at = `credentials.webauthn.config.credentials[${index}]`;
    const record = toRecord(ctx, entry, at, { handle, rpId, now, existing: [...user.credentials, ...records] });
    if (seen.has(record.id))
      throw new RelyingPartyError('import-invalid', `${at}.id ${entry.id} appears twice in the document`);
    seen.add(record.id);
    const known = findCredential(ctx.store.value, record.id);
    if (known.state === 'active') {
      const whose = known.user.id === user.id ? 'this account' : `another account (${known.user.email})`;
      throw new RelyingPartyError(
        'import-invalid',
        `${at}.id ${entry.id} is already registered to ${whose} as "${known.credential.display_name}"`,
      );
    }
    if (known.state === 'revoked') {
      throw new RelyingPartyError(
        'import-invalid',
        `${at}.id ${entry.id} is a key revoked on ${known.revoked.revoked_at}; a revoked key never comes back`,
      );
    }
    records.push(record);
  });
  await ctx.store.update((file) => {
    const draft = findUser(file, { id: user.id });
    draft.user_handle = handle;
    draft.credentials.push(...records);
  });
  await ctx.audit.record({
    event: 'keys-imported',
    outcome: 'success',
    user_id: user.id,
    email: user.email,
    count: records.length,
  });
  return { imported: records };
}

interface RecordContext {
  handle: string;
  rpId: string;
  now: string;
  existing: readonly CredentialRecord[];
}

function toRecord(ctx: RpContext, entry: KratosWebAuthnCredential, at: string, rc: RecordContext): CredentialRecord {
  const id = Buffer.from(entry.id, 'base64');
  if (id.length > MAX_CREDENTIAL_ID_BYTES)
    throw new RelyingPartyError(
      'import-invalid',
      `${at}.id is ${id.length} bytes, at most ${MAX_CREDENTIAL_ID_BYTES} are allowed`,
    );
  const aaguid = Buffer.from(entry.authenticator.aaguid, 'base64');
  if (aaguid.length !== 16)
    throw new RelyingPartyError('import-invalid', `${at}.authenticator.aaguid is ${aaguid.length} bytes, expected 16`);
  checkPublicKey(ctx, Buffer.from(entry.public_key, 'base64'), at);
  let displayName: string;
  if (entry.display_name === undefined || entry.display_name.trim() === '') {
    displayName = defaultKeyName(formatAaguid(aaguid), rc.existing);
  } else {
    const named = newDisplayNameSchema.safeParse(entry.display_name);
    if (!named.success)
      throw new RelyingPartyError(
        'import-invalid',
        `${at}.display_name is not usable: ${named.error.issues[0]!.message}`,
      );
    displayName = named.data;
  }
  return {
    id: toBase64Url(id),
    display_name: displayName,
    added_at: entry.added_at === undefined ? rc.now : new Date(entry.added_at).toISOString(),
    last_used_at: null,
    is_passwordless: entry.is_passwordless ?? false,
    public_key: entry.public_key,
    attestation_type: entry.attestation_type === '' ? 'none' : entry.attestation_type,
    authenticator: {
      aaguid: formatAaguid(aaguid),
      sign_count: entry.authenticator.sign_count,
      clone_warning: entry.authenticator.clone_warning,
    },
    transports: (entry.transport ?? []).filter((t): t is AuthenticatorTransportName =>
      (AUTHENTICATOR_TRANSPORTS as readonly string[]).includes(t),
    ),
    flags: entry.flags
      ? {
          user_present: entry.flags.user_present,
          user_verified: entry.flags.user_verified,
          backup_eligible: entry.flags.backup_eligible,
          backup_state: entry.flags.backup_state,
        }
      : { user_present: false, user_verified: false, backup_eligible: false, backup_state: false },
    user_handle: rc.handle,
    // Unknown after an import; the vault asks the key itself before it relies on hmac-secret.
    hmac_secret: false,
    rp_id: rc.rpId,
  };
}

function checkPublicKey(ctx: RpContext, bytes: Uint8Array, at: string): void {
  let key: unknown;
  try {
    key = decodeCbor(bytes, { lenient: true });
    coseToPublicKey(key as Parameters<typeof coseToPublicKey>[0]);
  } catch (error) {
    throw new RelyingPartyError(
      'import-invalid',
      `${at}.public_key is not a COSE public key: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const alg = (key as Map<number, unknown>).get(COSE_ALG);
  if (typeof alg !== 'number' || !ctx.algorithms.includes(alg)) {
    throw new RelyingPartyError(
      'import-invalid',
      `${at}.public_key has COSE algorithm ${coseAlgorithmName(alg)}, expected one of ${ctx.algorithms.map(coseAlgorithmName).join(', ')}`,
    );
  }
}

function safeEmail(email: string): string {
  try {
    return normalizeEmail(email);
  } catch (error) {
    throw new RelyingPartyError('import-invalid', `traits.email: ${(error as Error).message}`, { cause: error });
  }
}
