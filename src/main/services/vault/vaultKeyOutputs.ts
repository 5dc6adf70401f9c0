// The vault's prf requests on a ceremony, and the key output an answer carries back (docs/vault-format.md, "Key slots").

import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { CreationOptions, RequestOptions } from '../../../ctap/index.js';
import type { KeyOutput } from '../../vault/slots/slotKeys.js';

/** A key slot's question: the credential, the slot's salt (the prf input) and the UV state it was made with. */
export interface SlotRequest {
  credentialId: Uint8Array;
  salt: Uint8Array;
  uv: boolean;
}

/** authenticatorData flags (WebAuthn section 6.1): bit 2 is UV. */
const FLAG_UV = 0x04;
const FLAGS_OFFSET = 32;

/**
 * A get() that also evaluates the prf of every allowed credential that has a slot, at the slot's salt: whichever key
 * answers, its output opens its slot, so one touch signs in and unlocks. Without an allow list (a key alone picking
 * the account) the salt cannot be chosen per key before the key is known, so nothing is added.
 */
export function withSlotPrf(options: RequestOptions, slots: readonly SlotRequest[]): RequestOptions {
  const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
  const evalByCredential: Record<string, { first: string }> = {};
  for (const slot of slots) {
    const id = Buffer.from(slot.credentialId).toString('base64url');
    if (allowed.has(id)) evalByCredential[id] = { first: Buffer.from(slot.salt).toString('base64url') };
  }
  if (Object.keys(evalByCredential).length === 0) return options;
  return { ...options, extensions: { ...options.extensions, prf: { evalByCredential } } };
}

/** A create() that asks a key with hmac-secret-mc (CTAP 2.2) for its output at `salt` while it makes the credential. */
export function withCreationPrf(options: CreationOptions, salt: Uint8Array): CreationOptions {
  return {
    ...options,
    extensions: { ...options.extensions, prf: { eval: { first: Buffer.from(salt).toString('base64url') } } },
  };
}

/**
 * One key's question outside a sign-in: an assertion nobody verifies, only to read the key's prf output at the slot's
 * salt with the slot's UV state (`required` or `discouraged`). An output that is not the key's opens no slot: the
 * AES-GCM tag of the wrap is the check, so no signature needs checking here.
 */
export function slotRequestOptions(slot: SlotRequest, rpId: string): RequestOptions {
  const id = Buffer.from(slot.credentialId).toString('base64url');
  return {
    challenge: randomBytes(32).toString('base64url'),
    rpId,
    allowCredentials: [{ id, type: 'public-key' }],
    userVerification: slot.uv ? 'required' : 'discouraged',
    timeout: 120_000,
    extensions: { prf: { evalByCredential: { [id]: { first: Buffer.from(slot.salt).toString('base64url') } } } },
  };
}

/**
 * The prf output a response carries, with its credential and whether the key verified the user (read from the
 * authenticator data the relying party verified), or undefined when the key gave none. The caller zeroes `output`.
 * The response's base64url copy is a string, which cannot be wiped: callers drop the response as soon as this returns.
 */
export function keyOutputOf(response: AuthenticationResponseJSON | RegistrationResponseJSON): KeyOutput | undefined {
  const first = response.clientExtensionResults.prf?.results?.first;
  const authData = response.response.authenticatorData;
  if (typeof first !== 'string' || authData === undefined) return undefined;
  const output = Buffer.from(first, 'base64url');
  if (output.length !== 32) {
    output.fill(0);
    return undefined;
  }
  const flags = Buffer.from(authData, 'base64url')[FLAGS_OFFSET] ?? 0;
  return { credentialId: Buffer.from(response.rawId, 'base64url'), uv: (flags & FLAG_UV) !== 0, output };
}
