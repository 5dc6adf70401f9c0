// A software CTAP 2.1 security key, indistinguishable from hardware to a client: the test double for the whole library.

import { CtapStatus } from '../ctapStatus.js';
import type { HidConnection } from '../transport.js';
import { startSession, type AuthenticatorSettings, type Session } from './ctap2/context.js';
import { processCtap2Request, type Ctap2Engine, type ProcessCtap2Options } from './ctap2/processCtap2.js';
import { VirtualHidDevice } from './hid/VirtualHidDevice.js';
import { StatusWord } from '../iso7816/constants.js';
import { encodeResponseApdu } from '../iso7816/apdu.js';
import { approveAtOnce, type PresenceHandler } from './presence.js';
import {
  DEFAULT_PROFILE,
  resolveProfile,
  speaksU2f,
  type VirtualProfile,
  type VirtualProfileName,
} from './profiles.js';
import { PersistentState, type VirtualAuthenticatorState } from './state.js';
import { processU2fRequest, U2fTouch } from './u2f/processU2f.js';
import { copyBytes } from '../bytes.js';
import { SerialQueue } from '../serialQueue.js';

export interface VirtualAuthenticatorOptions {
  /** The model of key to impersonate. @default the state's profile, else 'yubikey5' */
  profile?: VirtualProfileName | VirtualProfile;
  /** toJSON() of an earlier instance: the same key after a restart (credentials, device secret, counter). */
  state?: VirtualAuthenticatorState;
  /** Who touches the key. @default approve at once */
  presence?: PresenceHandler;
  /** Interval of CTAPHID KEEPALIVE frames while a request runs. @default 100 */
  keepaliveIntervalMs?: number;
  /** How long to wait for a touch before CTAP2_ERR_USER_ACTION_TIMEOUT. @default 30000 */
  userActionTimeoutMs?: number;
  /** 'packed-self': packed attestation signed by the credential key; 'none': no attestation. @default 'packed-self' */
  attestation?: 'packed-self' | 'none';
  /** authenticatorReset works only this long after power-up (construction or reboot()). @default 10000 */
  resetWindowMs?: number;
}

export class VirtualAuthenticator {
  readonly profile: VirtualProfile;
  readonly #state: PersistentState;
  #session: Session;
  #presence: PresenceHandler;
  readonly #keepaliveIntervalMs: number;
  readonly #userActionTimeoutMs: number;
  readonly #settings: AuthenticatorSettings;
  /** A key does one thing at a time: requests from HID and (later) NFC run in turn. */
  readonly #queue = new SerialQueue();
  #hid: VirtualHidDevice | undefined;
  readonly #u2fTouch = new U2fTouch();

  constructor(opts: VirtualAuthenticatorOptions = {}) {
    this.profile = resolveProfile(opts.profile ?? opts.state?.profile ?? DEFAULT_PROFILE);
    this.#state = opts.state
      ? PersistentState.fromJSON(opts.state, this.profile)
      : PersistentState.create(this.profile);
    this.#session = startSession(this.profile);
    this.#presence = opts.presence ?? approveAtOnce;
    this.#keepaliveIntervalMs = atLeast(1, 'keepaliveIntervalMs', opts.keepaliveIntervalMs ?? 100);
    this.#userActionTimeoutMs = atLeast(1, 'userActionTimeoutMs', opts.userActionTimeoutMs ?? 30_000);
    this.#settings = {
      attestation: opts.attestation ?? 'packed-self',
      resetWindowMs: atLeast(0, 'resetWindowMs', opts.resetWindowMs ?? 10_000),
    };
  }

  get presence(): PresenceHandler {
    return this.#presence;
  }

  /** Replaces who touches the key; takes effect from the next wait for a touch. */
  set presence(handler: PresenceHandler) {
    this.#presence = handler;
  }

  /**
   * The client end of a new in-memory HID connection to this key. Each call is another application: all of them
   * share the key's channels and see each other's reports, so two connections can provoke CHANNEL_BUSY.
   */
  hidConnection(): HidConnection {
    this.#hid ??= new VirtualHidDevice({
      profile: this.profile,
      processCtap2: (request, opts) => this.processCtap2(request, opts),
      processU2f: (request) => this.processU2f(request),
    });
    return this.#hid.connect();
  }

  /**
   * One CTAP2 request, transport-neutral: command byte + CBOR in, status byte + CBOR out. Never rejects.
   * `onKeepalive` receives KeepaliveStatus PROCESSING or UPNEEDED every keepaliveIntervalMs while it runs.
   */
  processCtap2(request: Uint8Array, opts: ProcessCtap2Options): Promise<Uint8Array> {
    const copy = copyBytes(request);
    return this.#queue
      .run(() => processCtap2Request(this.#engine(), copy, opts))
      .catch(() => Uint8Array.of(CtapStatus.CTAP1_ERR_OTHER));
  }

  /**
   * One U2F (CTAP1) request APDU, as CTAPHID_MSG and NFC carry it: response data + status word out. Never rejects.
   * Register and sign answer 6985 until the presence handler approves a touch, which the platform finds by polling.
   * A key without U2F answers 6D00 (instruction not supported).
   */
  processU2f(request: Uint8Array): Promise<Uint8Array> {
    const copy = copyBytes(request);
    return this.#queue
      .run(() =>
        speaksU2f(this.profile)
          ? processU2fRequest(
              {
                profile: this.profile,
                state: this.#state,
                presence: (req) => this.#presence(req),
                userActionTimeoutMs: this.#userActionTimeoutMs,
                touch: this.#u2fTouch,
              },
              copy,
            )
          : encodeResponseApdu(new Uint8Array(0), StatusWord.INS_NOT_SUPPORTED),
      )
      .catch(() => encodeResponseApdu(new Uint8Array(0), StatusWord.NO_PRECISE_DIAGNOSIS));
  }

  /**
   * Power cycle: forgets volatile state (PIN/UV tokens and key agreement keys, the wrong-PIN streak behind
   * PIN_AUTH_BLOCKED, a pending getNextAssertion, enumeration or enrollment) and opens a new reset window.
   */
  reboot(): void {
    this.#session.pinUvAuth.dispose();
    this.#session = startSession(this.profile);
    this.#u2fTouch.reset();
    this.#hid?.reboot();
  }

  /** Sets the global signature counter back by `by` (not below 0), as a cloned key would look to a relying party. */
  rollbackSignCounter(by: number): void {
    if (!Number.isInteger(by) || by < 0)
      throw new RangeError(`rollbackSignCounter needs a non-negative integer, got ${by}`);
    this.#state.signCount = Math.max(0, this.#state.signCount - by);
  }

  /** The key's persistent state as plain JSON, private keys included; `new VirtualAuthenticator({ state })` restores it. */
  toJSON(): VirtualAuthenticatorState {
    return this.#state.toJSON(this.profile.name);
  }

  #engine(): Ctap2Engine {
    return {
      profile: this.profile,
      state: this.#state,
      session: this.#session,
      settings: this.#settings,
      // Looked up at each wait, so a handler set mid-request answers that request's touch.
      presence: (req) => this.#presence(req),
      keepaliveIntervalMs: this.#keepaliveIntervalMs,
      userActionTimeoutMs: this.#userActionTimeoutMs,
    };
  }
}

function atLeast(minimum: number, name: string, value: number): number {
  if (!Number.isFinite(value) || value < minimum)
    throw new RangeError(`${name} must be at least ${minimum} ms, got ${value}`);
  return value;
}
