// Decodes clientDataJSON and checks what it binds (WebAuthn L3 section 7.1 steps 7-11, 7.2 steps 10-14): challenge, type, origin.

import { z } from 'zod';
import type { Ceremony, ChallengeRecord, ChallengeStore } from './ChallengeStore.js';
import { RelyingPartyError } from '../RelyingPartyError.js';

const collectedClientDataSchema = z.looseObject({
  type: z.string(),
  challenge: z.string(),
  origin: z.string(),
  crossOrigin: z.boolean().optional(),
  topOrigin: z.string().optional(),
});

export type CollectedClientData = z.infer<typeof collectedClientDataSchema>;

export interface VerifyClientDataOptions {
  /** base64url, as in the response JSON. */
  clientDataJSON: string;
  expectedType: 'webauthn.create' | 'webauthn.get';
  expectedOrigin: string;
  /** The ceremonies whose challenges this response may answer. */
  ceremonies: readonly Ceremony[];
  challenges: ChallengeStore;
}

export interface VerifiedClientData {
  clientData: CollectedClientData;
  challenge: ChallengeRecord;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The challenge is looked up (and spent) first, so a response that fails any later check can never be retried with
 * the same challenge. Throws RelyingPartyError naming the field that is wrong, what it holds and what was expected.
 */
export function verifyClientData(options: VerifyClientDataOptions): VerifiedClientData {
  const clientData = decode(options.clientDataJSON);
  const challenge = options.challenges.consume(clientData.challenge, options.ceremonies);
  if (clientData.type !== options.expectedType) {
    throw new RelyingPartyError(
      'type-mismatch',
      `clientDataJSON type is "${clientData.type}", expected "${options.expectedType}"`,
    );
  }
  if (clientData.origin !== options.expectedOrigin) {
    throw new RelyingPartyError(
      'origin-mismatch',
      `clientDataJSON origin is "${clientData.origin}", expected "${options.expectedOrigin}"`,
    );
  }
  // Latchkey is never embedded in another site's frame; a cross-origin ceremony can only be an attack.
  if (clientData.crossOrigin === true || clientData.topOrigin !== undefined) {
    throw new RelyingPartyError(
      'cross-origin',
      `clientDataJSON says the ceremony ran cross-origin (top origin ${JSON.stringify(clientData.topOrigin ?? null)}), expected a same-origin ceremony`,
    );
  }
  return { clientData, challenge };
}

function decode(base64url: string): CollectedClientData {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(Buffer.from(base64url, 'base64url')));
  } catch (error) {
    throw new RelyingPartyError(
      'client-data-invalid',
      `clientDataJSON is not UTF-8 JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const parsed = collectedClientDataSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RelyingPartyError(
      'client-data-invalid',
      `clientDataJSON ${issue.path.join('.') || 'value'}: ${issue.message}`,
    );
  }
  return parsed.data;
}
