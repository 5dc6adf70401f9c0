// Reads SimpleWebAuthn's request option JSON into what the ceremonies need, refusing malformed values and ignoring unknown enum values as WebAuthn says.

import type {
  AttestationConveyancePreference,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
  ResidentKeyRequirement,
  UserVerificationRequirement,
} from '@simplewebauthn/server';
import { CoseAlgorithm } from '../ctap2/constants.js';
import type { CredentialDescriptor, CredentialParameters, RelyingPartyEntity, UserEntity } from '../ctap2/entities.js';
import { ClientError } from '../errors.js';
import { bytesFrom, readCreateExtensions, type CreateExtensionRequest } from './extensions.js';
import type { WebAuthnExtensionInputs } from './types.js';

/** create() options, with extensions this client knows beyond SimpleWebAuthn's type. */
export type CreationOptions = Omit<PublicKeyCredentialCreationOptionsJSON, 'extensions'> & {
  extensions?: WebAuthnExtensionInputs;
};
/** get() options, with extensions this client knows beyond SimpleWebAuthn's type. */
export type RequestOptions = Omit<PublicKeyCredentialRequestOptionsJSON, 'extensions'> & {
  extensions?: WebAuthnExtensionInputs;
};

/** WebAuthn Level 3 section 5.4.3: user handles are 1 to 64 bytes. */
const MAX_USER_HANDLE = 64;

/** Section 5.1.3 step 10: the algorithms when the relying party names none. */
const DEFAULT_ALGORITHMS: readonly CredentialParameters[] = [
  { type: 'public-key', alg: CoseAlgorithm.ES256 },
  { type: 'public-key', alg: CoseAlgorithm.RS256 },
];

export interface CreateRequest {
  rpId: string;
  rp: RelyingPartyEntity;
  user: UserEntity;
  challenge: Uint8Array;
  pubKeyCredParams: CredentialParameters[];
  excludeList: CredentialDescriptor[];
  residentKey: ResidentKeyRequirement;
  userVerification: UserVerificationRequirement;
  attestation: AttestationConveyancePreference;
  timeoutMs: number | undefined;
  extensions: CreateExtensionRequest;
}

export interface GetRequest {
  rpId: string;
  challenge: Uint8Array;
  allowList: CredentialDescriptor[];
  userVerification: UserVerificationRequirement;
  timeoutMs: number | undefined;
  extensions: WebAuthnExtensionInputs | undefined;
}

export function readCreationOptions(options: CreationOptions, defaultRpId: string): CreateRequest {
  if (typeof options !== 'object' || options === null)
    throw new ClientError('bad-request', 'create() needs PublicKeyCredentialCreationOptionsJSON.');
  const { rp, user, authenticatorSelection: selection } = options;
  if (typeof rp !== 'object' || rp === null) throw new ClientError('bad-request', 'The creation options have no "rp".');
  if (typeof user !== 'object' || user === null)
    throw new ClientError('bad-request', 'The creation options have no "user".');
  const userId = bytesFrom(user.id, 'user.id');
  if (userId.length < 1 || userId.length > MAX_USER_HANDLE) {
    throw new ClientError('bad-request', `user.id is ${userId.length} bytes, expected 1 to ${MAX_USER_HANDLE}.`);
  }
  const rpId = rp.id ?? defaultRpId;
  if (selection?.authenticatorAttachment === 'platform') {
    throw new ClientError(
      'device-not-supported',
      'The relying party asked for a platform authenticator; this client only drives security keys (cross-platform).',
    );
  }
  return {
    rpId,
    rp: { id: rpId, ...(typeof rp.name === 'string' ? { name: rp.name } : {}) },
    user: {
      id: userId,
      ...(typeof user.name === 'string' ? { name: user.name } : {}),
      ...(typeof user.displayName === 'string' ? { displayName: user.displayName } : {}),
    },
    challenge: challengeBytes(options.challenge),
    pubKeyCredParams: algorithms(options.pubKeyCredParams),
    excludeList: descriptors(options.excludeCredentials, 'excludeCredentials'),
    residentKey: residentKey(selection?.residentKey, selection?.requireResidentKey),
    userVerification: userVerification(selection?.userVerification),
    attestation: oneOf(options.attestation, ['none', 'indirect', 'direct', 'enterprise'] as const) ?? 'none',
    timeoutMs: timeout(options.timeout),
    extensions: readCreateExtensions(options.extensions),
  };
}

export function readRequestOptions(options: RequestOptions, defaultRpId: string): GetRequest {
  if (typeof options !== 'object' || options === null)
    throw new ClientError('bad-request', 'get() needs PublicKeyCredentialRequestOptionsJSON.');
  return {
    rpId: options.rpId ?? defaultRpId,
    challenge: challengeBytes(options.challenge),
    allowList: descriptors(options.allowCredentials, 'allowCredentials'),
    userVerification: userVerification(options.userVerification),
    timeoutMs: timeout(options.timeout),
    extensions: options.extensions,
  };
}

function challengeBytes(challenge: unknown): Uint8Array {
  const bytes = bytesFrom(challenge as string, 'challenge');
  if (bytes.length === 0) throw new ClientError('bad-request', 'The challenge is empty.');
  return bytes;
}

/** Section 5.1.3 step 10: unknown credential types are skipped; a list left empty cannot be served. */
function algorithms(params: readonly { type: string; alg: number }[] | undefined): CredentialParameters[] {
  if (params === undefined || params.length === 0) return [...DEFAULT_ALGORITHMS];
  const known = params.filter((p) => p.type === 'public-key' && Number.isInteger(p.alg));
  if (known.length === 0) throw new ClientError('bad-request', 'pubKeyCredParams names no "public-key" algorithm.');
  const seen = new Set<number>();
  return known.filter((p) => !seen.has(p.alg) && seen.add(p.alg)).map((p) => ({ type: 'public-key', alg: p.alg }));
}

/** Descriptors of type "public-key" (others ignored, as WebAuthn says), ids decoded; transports are not sent to keys. */
function descriptors(
  list: readonly PublicKeyCredentialDescriptorJSON[] | undefined,
  what: string,
): CredentialDescriptor[] {
  return (list ?? [])
    .filter((d) => d.type === 'public-key')
    .map((d, i) => ({ type: 'public-key', id: bytesFrom(d.id, `${what}[${i}].id`) }));
}

/** Section 5.4.4: residentKey wins when it is a known value; otherwise requireResidentKey decides. */
function residentKey(value: string | undefined, requireResidentKey: boolean | undefined): ResidentKeyRequirement {
  return (
    oneOf(value, ['required', 'preferred', 'discouraged'] as const) ??
    (requireResidentKey === true ? 'required' : 'discouraged')
  );
}

function userVerification(value: string | undefined): UserVerificationRequirement {
  return oneOf(value, ['required', 'preferred', 'discouraged'] as const) ?? 'preferred';
}

function timeout(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}
