// Verifies a RegistrationResponseJSON (WebAuthn L3 section 7.1) for a registration or recovery challenge and builds the new key's record.

import { verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { type CborMap, decodeCbor, formatAaguid, toBase64Url } from '../../../ctap/index.js';
import { checkAuthenticatorData } from '../sign-in/checkAuthenticatorData.js';
import type { ChallengeRecord } from '../ceremony/ChallengeStore.js';
import { coseAlgorithmName } from '../keys/coseAlgorithmName.js';
import {
  AUTHENTICATOR_TRANSPORTS,
  type AuthenticatorTransportName,
  type CredentialRecord,
} from '../keys/credentialRecord.js';
import { defaultKeyName } from './defaultKeyName.js';
import { explainVerifierError } from '../ceremony/explainVerifierError.js';
import { findCredential } from '../keys/findCredential.js';
import { findUser } from '../accounts/findUser.js';
import { parseResponse } from '../ceremony/parseResponse.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import { registrationResponseSchema } from '../ceremony/responseSchemas.js';
import type { RpContext } from '../RpContext.js';
import type { UserRecord } from '../accounts/userRecord.js';
import { userVerificationWayOut } from '../settings/userVerificationWayOut.js';
import { verifyClientData } from '../ceremony/verifyClientData.js';

/** Who and what a failing ceremony concerned, filled in as they become known, for the audit log. */
export interface CeremonyFacts {
  userId?: string;
  email?: string;
  credentialId?: string;
  displayName?: string;
}

export interface VerifyRegistrationOptions {
  response: unknown;
  ceremony: 'registration' | 'recovery';
  /** The name the user chose; @default the model from the AAGUID, numbered if taken. */
  displayName?: string;
  facts: CeremonyFacts;
}

export interface VerifiedRegistration {
  challenge: ChallengeRecord;
  user: UserRecord;
  credential: CredentialRecord;
}

const COSE_ALG = 3;

export async function verifyRegistration(
  ctx: RpContext,
  options: VerifyRegistrationOptions,
): Promise<VerifiedRegistration> {
  const response = parseResponse(registrationResponseSchema, options.response, 'registration');
  const { settings } = ctx.store.value;
  const { challenge } = verifyClientData({
    clientDataJSON: response.response.clientDataJSON,
    expectedType: 'webauthn.create',
    expectedOrigin: settings.rp_origin,
    ceremonies: [options.ceremony],
    challenges: ctx.challenges,
  });
  const user = findUser(ctx.store.value, { id: challenge.userId ?? '' });
  options.facts.userId = user.id;
  options.facts.email = user.email;

  const attestation = decodeAttestationObject(response.response.attestationObject);
  const authData = checkAuthenticatorData({
    authData: attestation.authData,
    rpId: settings.rp_id,
    userVerification: challenge.userVerification,
    ceremony: 'registration',
    userVerificationWayOut: userVerificationWayOut({ keyAlone: false, effective: ctx.userVerification }),
  });
  const attested = authData.attestedCredentialData;
  if (!attested)
    throw new RelyingPartyError(
      'authenticator-data-invalid',
      'the registration authenticator data has no attested credential data (AT flag clear)',
    );
  const credentialId = toBase64Url(attested.credentialId);
  options.facts.credentialId = credentialId;
  if (credentialId !== response.rawId) {
    throw new RelyingPartyError(
      'authenticator-data-invalid',
      `the authenticator data holds credential ID "${credentialId}" but the response says "${response.rawId}"`,
    );
  }
  const alg = attested.publicKey.get(COSE_ALG);
  if (typeof alg !== 'number' || !ctx.algorithms.includes(alg)) {
    throw new RelyingPartyError(
      'algorithm-not-allowed',
      `the key made a credential with COSE algorithm ${coseAlgorithmName(alg)}, expected one of ${ctx.algorithms.map(coseAlgorithmName).join(', ')}`,
    );
  }
  const known = findCredential(ctx.store.value, credentialId);
  if (known.state === 'active') {
    const whose = known.user.id === user.id ? 'this account' : 'another account';
    throw new RelyingPartyError(
      'credential-exists',
      `this key is already registered to ${whose} as "${known.credential.display_name}"`,
    );
  }
  if (known.state === 'revoked') {
    throw new RelyingPartyError(
      'credential-revoked',
      `credential ${credentialId} ("${known.revoked.display_name}") was revoked on ${known.revoked.revoked_at} and cannot be registered again`,
    );
  }

  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: response as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: settings.rp_origin,
      expectedRPID: settings.rp_id,
      expectedType: 'webauthn.create',
      requireUserPresence: true,
      requireUserVerification: challenge.userVerification === 'required',
      supportedAlgorithmIDs: [...ctx.algorithms],
    });
  } catch (error) {
    throw explainVerifierError(error, 'registration');
  }
  if (!verified.verified) {
    throw new RelyingPartyError(
      'attestation-invalid',
      `the "${attestation.fmt}" attestation statement does not verify over the authenticator data and clientDataJSON`,
    );
  }

  const aaguid = formatAaguid(attested.aaguid);
  const extensions = response.clientExtensionResults;
  const displayName = options.displayName ?? defaultKeyName(aaguid, user.credentials);
  options.facts.displayName = displayName;
  const credential: CredentialRecord = {
    id: credentialId,
    display_name: displayName,
    added_at: new Date(ctx.now()).toISOString(),
    last_used_at: null,
    // credProps is what a client reports; without it, a discoverable credential was made only if it was required.
    is_passwordless: extensions.credProps?.rk ?? challenge.residentKey === 'required',
    public_key: Buffer.from(attested.publicKeyRaw).toString('base64'),
    attestation_type: attestation.fmt,
    authenticator: { aaguid, sign_count: authData.signCount, clone_warning: false },
    transports: (response.response.transports ?? []).filter((t): t is AuthenticatorTransportName =>
      (AUTHENTICATOR_TRANSPORTS as readonly string[]).includes(t),
    ),
    flags: {
      user_present: authData.flags.up,
      user_verified: authData.flags.uv,
      backup_eligible: authData.flags.be,
      backup_state: authData.flags.bs,
    },
    user_handle: user.user_handle,
    // The signed authenticator output is authoritative; the client's report covers clients that map it to PRF.
    hmac_secret:
      authData.extensions?.get('hmac-secret') === true ||
      extensions.hmacCreateSecret === true ||
      extensions.prf?.enabled === true,
    rp_id: settings.rp_id,
  };
  return { challenge, user, credential };
}

function decodeAttestationObject(base64url: string): { fmt: string; authData: Uint8Array; attStmt: CborMap } {
  let value: unknown;
  try {
    value = decodeCbor(Buffer.from(base64url, 'base64url'), { lenient: true });
  } catch (error) {
    throw new RelyingPartyError('attestation-invalid', `attestationObject is not CBOR: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!(value instanceof Map))
    throw new RelyingPartyError('attestation-invalid', 'attestationObject is not a CBOR map');
  const fmt = value.get('fmt');
  const authData = value.get('authData');
  const attStmt = value.get('attStmt');
  if (typeof fmt !== 'string')
    throw new RelyingPartyError(
      'attestation-invalid',
      `attestationObject "fmt" is ${describe(fmt)}, expected a text string`,
    );
  if (!(authData instanceof Uint8Array))
    throw new RelyingPartyError(
      'attestation-invalid',
      `attestationObject "authData" is ${describe(authData)}, expected a byte string`,
    );
  if (!(attStmt instanceof Map))
    throw new RelyingPartyError(
      'attestation-invalid',
      `attestationObject "attStmt" is ${describe(attStmt)}, expected a map`,
    );
  return { fmt, authData, attStmt };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value instanceof Uint8Array) return `a byte string of ${value.length} bytes`;
  if (value instanceof Map) return 'a map';
  return typeof value;
}
