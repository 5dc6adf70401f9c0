// What every CTAP2 command handler of the virtual key is given: the key's state, its volatile session and the user.

import type { CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { CtapStatus } from '../../ctapStatus.js';
import { advertisedFeatures, hasBuiltInUv } from '../features.js';
import type { PresencePurpose, PresenceRequest, PresenceResult } from '../presence.js';
import { speaksCtap21, type VirtualProfile } from '../profiles.js';
import type { PersistentState, ResidentCredential } from '../state.js';
import { CtapStatusError } from './CtapStatusError.js';
import type { AssertionExtensionInputs } from './extensions/extensionInputs.js';
import { PinUvAuthState } from './pinUvAuthState.js';

/** authenticatorGetAssertion's remembered parameters for authenticatorGetNextAssertion (CTAP 2.2 section 6.2.2 step 12). */
export interface PendingAssertion {
  rpIdHash: Uint8Array;
  clientDataHash: Uint8Array;
  /** UP and UV bits of the original assertion. */
  flags: number;
  userVerified: boolean;
  /** The credentials still to return, in order. */
  remaining: ResidentCredential[];
  /** Date.now() after which getNextAssertion is refused. */
  expiresAt: number;
  /** Extension outputs to compute for each next credential (hmac-secret, credBlob, largeBlobKey). */
  extensions: AssertionExtensionInputs;
}

/** An enumeration authenticatorCredentialManagement is walking (enumerateRPsGetNextRP, enumerateCredentialsGetNextCredential). */
export interface CredentialEnumeration {
  kind: 'rps' | 'credentials';
  /** The answers still to give, already built. */
  remaining: CborInput[];
}

/** A fingerprint enrollment between enrollBegin and its last sample (section 6.7.4). */
export interface PendingEnrollment {
  templateId: Uint8Array;
  /** The finger of the first good sample: the others must match it. */
  finger?: string;
  remainingSamples: number;
}

/** A large-blob array being written in fragments (section 6.10.2): what has arrived and what is still expected. */
export interface PendingLargeBlobWrite {
  expectedLength: number;
  received: Uint8Array[];
  expectedNextOffset: number;
}

/** State that a power cycle loses. */
export interface Session {
  /** Date.now() at power-up: reset is allowed only shortly after. */
  readonly poweredUpAt: number;
  readonly pinUvAuth: PinUvAuthState;
  pendingAssertion?: PendingAssertion;
  enumeration?: CredentialEnumeration;
  enrollment?: PendingEnrollment;
  largeBlobWrite?: PendingLargeBlobWrite;
}

/** A new power-up of a key of this profile (initialize() of the PIN/UV auth protocols included). */
export function startSession(profile: VirtualProfile): Session {
  return {
    poweredUpAt: Date.now(),
    pinUvAuth: new PinUvAuthState({
      protocols: advertisedFeatures(profile).pinUvAuthProtocols,
      protocolOneTokenLength: profile.pinTokenLength ?? 32,
      ctap21: speaksCtap21(profile),
    }),
  };
}

export interface AuthenticatorSettings {
  attestation: 'packed-self' | 'none';
  resetWindowMs: number;
}

export interface CommandContext {
  readonly profile: VirtualProfile;
  readonly state: PersistentState;
  readonly session: Session;
  readonly settings: AuthenticatorSettings;
  /** Asks the user for a touch (or a finger); UPNEEDED keepalives go out while it waits. */
  userPresence(command: PresenceRequest['command'], rpId?: string, purpose?: PresencePurpose): Promise<PresenceResult>;
}

/** One authenticator command: its parameters are a CBOR map, or nothing. */
export interface Ctap2CommandHandler {
  readonly takesParameters: boolean;
  /** Whether the profile's hardware has the command at all; CTAP1_ERR_INVALID_COMMAND otherwise. @default always */
  isAvailable?(profile: VirtualProfile): boolean;
  /** Resolves with the response map, or undefined for a status-only answer. Throws CtapStatusError to fail. */
  run(ctx: CommandContext, params: CborMap): Promise<CborInput | undefined>;
}

/**
 * Collects user presence where the spec says a refusal is CTAP2_ERR_OPERATION_DENIED, a timeout
 * CTAP2_ERR_USER_ACTION_TIMEOUT, and a cancel CTAP2_ERR_KEEPALIVE_CANCEL (CTAP 2.2 sections 6.1.2, 6.2.2, 6.6, 6.9).
 */
export async function requireUserPresence(
  ctx: CommandContext,
  command: PresenceRequest['command'],
  rpId?: string,
): Promise<void> {
  const { outcome } = await ctx.userPresence(command, rpId);
  throwUnlessApproved(outcome);
}

/** The status for a touch that did not happen. */
export function throwUnlessApproved(outcome: PresenceResult['outcome']): void {
  switch (outcome) {
    case 'approved':
      return;
    case 'denied':
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_OPERATION_DENIED, 'the user refused');
    case 'timeout':
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT, 'the user did not touch the key in time');
    case 'cancelled':
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL, 'the request was cancelled');
  }
}

/** "Protected by some form of user verification" (section 6.1.2): a PIN is set, or a finger is enrolled. */
export function isProtected(ctx: CommandContext): boolean {
  return ctx.state.pinSet || builtInUvConfigured(ctx);
}

/** Built-in user verification exists and is enabled (getInfo's uv option is true): at least one finger is enrolled. */
export function builtInUvConfigured(ctx: CommandContext): boolean {
  return hasBuiltInUv(ctx.profile) && ctx.state.fingerprints.length > 0;
}
