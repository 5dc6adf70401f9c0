// What every CTAP2 command handler of the virtual key is given: the key's state, its volatile session and the user.

import type { CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { CtapStatus } from '../../ctap2/status.js';
import type { PresenceOutcome, PresenceRequest } from '../presence.js';
import type { VirtualProfile } from '../profiles.js';
import type { PersistentState, ResidentCredential } from '../state.js';

/** Ends a command with a CTAP status byte; processCtap2 turns it into the one-byte answer. */
export class CtapStatusError extends Error {
  override readonly name = 'CtapStatusError';

  constructor(readonly status: number, detail?: string) {
    super(detail ?? `CTAP status 0x${status.toString(16).padStart(2, '0')}`);
  }
}

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
}

/** State that a power cycle loses. PIN tokens join it with ClientPin. */
export interface Session {
  /** Date.now() at power-up: reset is allowed only shortly after. */
  readonly poweredUpAt: number;
  pendingAssertion?: PendingAssertion;
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
  /** Asks the user for a touch; UPNEEDED keepalives go out while it waits. */
  userPresence(command: PresenceRequest['command'], rpId?: string): Promise<PresenceOutcome>;
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
export async function requireUserPresence(ctx: CommandContext, command: PresenceRequest['command'], rpId?: string): Promise<void> {
  const outcome = await ctx.userPresence(command, rpId);
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
