// The authenticator's volatile PIN/UV auth state (CTAP 2.2 sections 6.5.2.1 and 6.5.3.2): key agreement keys, tokens, permissions and their timers.

import { randomFillSync } from 'node:crypto';
import { zeroize } from '../../bytes.js';
import { ClientPin } from '../../ctap2/ClientPin.js';
import {
  KeyAgreementKey,
  PinUvAuthProtocolV1,
  PinUvAuthProtocolV2,
  type PinUvAuthProtocol,
} from '../../ctap2/pinUvAuthProtocol.js';

/** Section 6.5.2.1: the default per-transport initial usage time limit (USB) and user present time limit. */
export const INITIAL_USAGE_TIME_LIMIT_MS = 30_000;
/** Section 6.5.2.1: the max usage time period "SHOULD default to a maximum of 10 minutes". */
export const MAX_USAGE_TIME_PERIOD_MS = 600_000;
/** pinUvAuthProtocol two always hands out 32-byte tokens (section 6.5.7). */
const PROTOCOL_TWO_TOKEN_LENGTH = 32;

/** Every permission a token can carry on a key that predates permissions (CTAP 2.0, FIDO_2_1_PRE). */
export const ALL_PERMISSIONS =
  ClientPin.PERMISSION.mc |
  ClientPin.PERMISSION.ga |
  ClientPin.PERMISSION.cm |
  ClientPin.PERMISSION.be |
  ClientPin.PERMISSION.lbw |
  ClientPin.PERMISSION.acfg;

interface ProtocolState {
  readonly protocol: PinUvAuthProtocol;
  key: KeyAgreementKey;
  readonly token: Uint8Array;
}

export interface PinUvAuthStateOptions {
  /** PIN/UV auth protocols the key speaks. */
  protocols: readonly number[];
  /** Token length for protocol one. */
  protocolOneTokenLength: 16 | 32;
  /**
   * CTAP 2.1 rules: tokens expire (section 6.5.2.1), carry permissions and an RP ID, and makeCredential / getAssertion
   * consume their flags. Without them (CTAP 2.0 and the 2.1 draft) a pinToken lasts until power-off and can do anything.
   */
  ctap21: boolean;
}

/**
 * One per power-up: initialize() of section 6.5.4 runs in the constructor, so every reboot brings new key agreement keys
 * and new tokens, and a power cycle clears the consecutive-mismatch count that PIN_AUTH_BLOCKED stands on.
 */
export class PinUvAuthState {
  readonly #protocols = new Map<number, ProtocolState>();
  readonly #ctap21: boolean;
  #permissions = 0;
  #rpId: string | undefined;
  #inUse = false;
  #userPresent = false;
  #userVerified = false;
  #startedAt = 0;
  #usedSinceStart = false;
  /** Wrong PINs in a row since power-up (section 6.5.5.7.1: three need a power cycle). */
  consecutivePinMismatches = 0;

  constructor(options: PinUvAuthStateOptions) {
    this.#ctap21 = options.ctap21;
    for (const version of options.protocols) {
      const protocol = version === 1 ? new PinUvAuthProtocolV1() : new PinUvAuthProtocolV2();
      const length = version === 1 ? options.protocolOneTokenLength : PROTOCOL_TWO_TOKEN_LENGTH;
      this.#protocols.set(version, {
        protocol,
        key: KeyAgreementKey.generate(),
        token: randomFillSync(new Uint8Array(length)),
      });
    }
  }

  /** The protocol object for a pinUvAuthProtocol number the key speaks. */
  protocol(version: number): PinUvAuthProtocol | undefined {
    return this.#protocols.get(version)?.protocol;
  }

  /** getPublicKey(): the keyAgreement COSE_Key of a protocol. */
  keyAgreement(version: number): KeyAgreementKey {
    return this.#state(version).key;
  }

  /** regenerate(): a fresh key agreement key, as after a wrong PIN, so a captured exchange cannot be replayed. */
  regenerate(version: number): void {
    const state = this.#state(version);
    state.key.dispose();
    state.key = KeyAgreementKey.generate();
  }

  /** resetPinUvAuthToken() for every protocol: new token bytes, and whatever was in use stops. */
  resetTokens(): void {
    for (const state of this.#protocols.values()) randomFillSync(state.token);
    this.stopUsing();
  }

  /** encrypt(sharedSecret, pinUvAuthToken) of a protocol: the token as getPinToken & co. hand it out. */
  encryptToken(version: number, sharedSecret: Uint8Array): Uint8Array {
    const state = this.#state(version);
    return state.protocol.encrypt(sharedSecret, state.token);
  }

  /** beginUsingPinUvAuthToken(userIsPresent) with the permissions and permissions RP ID the token is for. */
  beginUsing(userIsPresent: boolean, permissions: number, rpId: string | undefined): void {
    this.#userPresent = userIsPresent;
    this.#userVerified = true;
    this.#permissions = permissions;
    this.#rpId = rpId;
    this.#startedAt = Date.now();
    this.#usedSinceStart = false;
    this.#inUse = true;
  }

  /** stopUsingPinUvAuthToken(): every state variable back to its initial value. */
  stopUsing(): void {
    this.#inUse = false;
    this.#permissions = 0;
    this.#rpId = undefined;
    this.#userPresent = false;
    this.#userVerified = false;
    this.#startedAt = 0;
    this.#usedSinceStart = false;
  }

  get inUse(): boolean {
    this.#observe();
    return this.#inUse;
  }

  get permissions(): number {
    return this.inUse ? this.#permissions : 0;
  }

  /** The permissions RP ID, when one is associated. */
  get rpId(): string | undefined {
    return this.inUse ? this.#rpId : undefined;
  }

  /**
   * Associates the RP ID of the first makeCredential / getAssertion that uses a token obtained without one. A CTAP 2.0
   * pinToken is bound to nothing.
   */
  bindRpId(rpId: string): void {
    if (this.#ctap21 && this.inUse && this.#rpId === undefined) this.#rpId = rpId;
  }

  hasPermission(permission: number): boolean {
    return (this.permissions & permission) !== 0;
  }

  /** getUserPresentFlagValue(). */
  get userPresent(): boolean {
    return this.inUse && this.#userPresent;
  }

  /** getUserVerifiedFlagValue(). */
  get userVerified(): boolean {
    return this.inUse && this.#userVerified;
  }

  /** What makeCredential and getAssertion do after collecting presence with a token (CTAP 2.1 only). */
  consumeAfterUserPresence(): void {
    if (!this.#ctap21 || !this.#inUse) return;
    this.#userPresent = false;
    this.#userVerified = false;
    this.#permissions &= ClientPin.PERMISSION.lbw;
  }

  /**
   * verify(pinUvAuthToken, message, pinUvAuthParam) of a protocol, in constant time; only a token in use verifies.
   * A successful use keeps the token alive past its initial usage time limit.
   */
  verify(version: number, message: Uint8Array, pinUvAuthParam: Uint8Array): boolean {
    const state = this.#protocols.get(version);
    if (!state || !this.inUse) return false;
    const ok = state.protocol.verify(state.token, message, pinUvAuthParam);
    if (ok) this.#usedSinceStart = true;
    return ok;
  }

  /** Zeroes the tokens and discards the key agreement keys (power-off). */
  dispose(): void {
    for (const state of this.#protocols.values()) {
      zeroize(state.token);
      state.key.dispose();
    }
    this.stopUsing();
  }

  #state(version: number): ProtocolState {
    const state = this.#protocols.get(version);
    if (!state) throw new RangeError(`PIN/UV auth protocol ${version} is not spoken by this key`);
    return state;
  }

  /**
   * pinUvAuthTokenUsageTimerObserver(), run lazily whenever the state is read (the effect is the same as a timer's,
   * since only reads can tell). Without a rolling timer: unused after the initial usage time limit, the token stops;
   * used, it lasts up to the max usage time period; the user present flag lapses after the user present time limit.
   */
  #observe(): void {
    if (!this.#inUse || !this.#ctap21) return;
    const elapsed = Date.now() - this.#startedAt;
    if (elapsed >= MAX_USAGE_TIME_PERIOD_MS || (elapsed >= INITIAL_USAGE_TIME_LIMIT_MS && !this.#usedSinceStart)) {
      this.stopUsing();
      return;
    }
    if (elapsed >= INITIAL_USAGE_TIME_LIMIT_MS) this.#userPresent = false;
  }
}
