// authenticatorClientPIN (CTAP 2.1 section 6.5), client side: PIN set and change, retries, and PIN/UV auth tokens with permissions.

import { createHash } from 'node:crypto';
import type { CborInput } from '../cbor/encode.js';
import type { CborMap } from '../cbor/types.js';
import { ClientError, CtapError, ProtocolError, toClientError } from '../errors.js';
import type { CallOptions } from '../transport.js';
import { Ctap2Cmd } from './constants.js';
import {
  PinUvAuthProtocolV1,
  PinUvAuthProtocolV2,
  type Encapsulation,
  type PinUvAuthProtocol,
} from './pinUvAuthProtocol.js';
import { CtapStatus } from '../ctapStatus.js';
import { describeValue, optBool, reqUint } from '../cbor/fields.js';
import { zeroize } from '../bytes.js';

const WHERE = 'clientPin response';

/** The part of getInfo ClientPin reads. */
export interface ClientPinInfo {
  readonly options: ReadonlyMap<string, boolean>;
  readonly pinUvAuthProtocols: readonly number[];
  readonly minPINLength?: number;
}

/** The part of Ctap2 ClientPin uses, so any Ctap2 (or a scripted fake) will do. */
export interface Ctap2Like {
  readonly info: ClientPinInfo;
  send(cmd: number, params?: ReadonlyMap<number, CborInput | undefined>, opts?: CallOptions): Promise<CborMap>;
}

export interface PinRetries {
  /** PIN attempts left before the key blocks its PIN for good (reset needed). */
  retries: number;
  /** True when the key needs a power cycle before it takes another PIN attempt; undefined when the key did not say. */
  powerCycleState: boolean | undefined;
}

export interface UvRetries {
  /** Built-in user verification (e.g. fingerprint) attempts left before UV is blocked and the PIN is needed. */
  retries: number;
}

/** Options of {@link ClientPin.getPinToken}. */
export interface GetPinTokenOptions extends CallOptions {
  /**
   * Bits of {@link ClientPin.PERMISSION} the token is for. Keys without `pinUvAuthToken` only know the legacy getPinToken
   * (0x05), which takes no permissions: the token then has whatever CTAP 2.0 tokens could do.
   * @default ClientPin.PERMISSION.mc | ClientPin.PERMISSION.ga
   */
  permissions?: number;
  /** The permissions RP ID the token is bound to. Optional for mc and ga (the first request binds it), ignored by keys for be and acfg. */
  rpId?: string;
}

/** Options of {@link ClientPin.getUvToken}. */
export interface GetUvTokenOptions extends CallOptions {
  /** Bits of {@link ClientPin.PERMISSION} the token is for (required, non-zero). */
  permissions: number;
  /** The permissions RP ID the token is bound to. */
  rpId?: string;
}

const textEncoder = new TextEncoder();

/** CTAP's absolute minimum PIN length in Unicode code points (section 6.5.1), also getInfo's minPINLength default. */
const SPEC_MIN_PIN_LENGTH = 4;
/** The longest PIN in UTF-8 bytes: it is padded with at least one zero byte to 64 (section 6.5.1). */
const MAX_PIN_BYTES = 63;
const PADDED_PIN_BYTES = 64;

/** A pinUvAuthToken and the protocol it works with. Dispose of it when done: it is a bearer credential. */
export class PinUvAuthToken {
  readonly #token: Uint8Array;
  #disposed = false;

  constructor(
    /** The protocol the token was obtained with; its version is the pinUvAuthProtocol parameter to send alongside. */
    readonly protocol: PinUvAuthProtocol,
    token: Uint8Array,
    /** The permissions asked for (for a legacy token: what the caller meant to do, not bound by the key). */
    readonly permissions: number,
    /** The permissions RP ID asked for. */
    readonly rpId: string | undefined,
    /** Obtained with the legacy getPinToken (0x05), which binds no permissions. */
    readonly legacy: boolean,
  ) {
    this.#token = token;
  }

  /** The decrypted token bytes (16 or 32). Zeroed by dispose(). */
  get token(): Uint8Array {
    this.#assertUsable();
    return this.#token;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** The pinUvAuthParam for `message` (e.g. clientDataHash for makeCredential and getAssertion). */
  authenticate(message: Uint8Array): Uint8Array {
    this.#assertUsable();
    return this.protocol.authenticate(this.#token, message);
  }

  dispose(): void {
    zeroize(this.#token);
    this.#disposed = true;
  }

  #assertUsable(): void {
    if (this.#disposed)
      throw new ClientError('pin-required', 'This PIN/UV auth token was disposed of: enter the PIN again.');
  }

  // Keeps the token out of console.log and util.inspect output.
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const state = this.#disposed ? 'disposed' : `<${this.#token.length} bytes redacted>`;
    return `PinUvAuthToken { protocol: ${this.protocol.version}, permissions: 0x${this.permissions.toString(16)}, token: ${state} }`;
  }

  toJSON(): { protocol: number; permissions: number; rpId?: string; legacy: boolean } {
    return {
      protocol: this.protocol.version,
      permissions: this.permissions,
      ...(this.rpId === undefined ? {} : { rpId: this.rpId }),
      legacy: this.legacy,
    };
  }
}

/** Requests whose failure statuses mean something of their own (see ClientPin #explain). */
type RequestKind = 'plain' | 'setPin' | 'pinToken';

export class ClientPin {
  /** Section 6.5.5: authenticatorClientPIN subCommand values. */
  static readonly CMD = {
    getPINRetries: 0x01,
    getKeyAgreement: 0x02,
    setPIN: 0x03,
    changePIN: 0x04,
    getPinToken: 0x05,
    getPinUvAuthTokenUsingUvWithPermissions: 0x06,
    getUVRetries: 0x07,
    getPinUvAuthTokenUsingPinWithPermissions: 0x09,
  } as const;

  /** Section 6.5.5: authenticatorClientPIN request parameter keys. */
  static readonly PARAM = {
    pinUvAuthProtocol: 0x01,
    subCommand: 0x02,
    keyAgreement: 0x03,
    pinUvAuthParam: 0x04,
    newPinEnc: 0x05,
    pinHashEnc: 0x06,
    permissions: 0x09,
    rpId: 0x0a,
  } as const;

  /** Section 6.5.5: authenticatorClientPIN response keys. */
  static readonly RESULT = {
    keyAgreement: 0x01,
    pinUvAuthToken: 0x02,
    pinRetries: 0x03,
    powerCycleState: 0x04,
    uvRetries: 0x05,
  } as const;

  /** Section 6.5.5.7: pinUvAuthToken permission bits (pcmr is CTAP 2.2). */
  static readonly PERMISSION = {
    mc: 0x01,
    ga: 0x02,
    cm: 0x04,
    be: 0x08,
    lbw: 0x10,
    acfg: 0x20,
    pcmr: 0x40,
  } as const;

  /** Whether the key takes authenticatorClientPIN with a PIN/UV auth protocol this library speaks. */
  static isSupported(info: ClientPinInfo): boolean {
    const hasClientPin = info.options.has('clientPin') || info.options.get('pinUvAuthToken') === true;
    return hasClientPin && preferredProtocol(info) !== undefined;
  }

  /** The PIN/UV auth protocol in use: two when the key offers it, else one, unless one was given. */
  readonly protocol: PinUvAuthProtocol;
  readonly #ctap2: Ctap2Like;

  constructor(ctap2: Ctap2Like, protocol?: PinUvAuthProtocol) {
    const { info } = ctap2;
    if (!ClientPin.isSupported(info)) {
      throw new ClientError(
        'device-not-supported',
        'This key has no PIN support (authenticatorClientPIN) in a PIN/UV auth protocol this app speaks.',
      );
    }
    const chosen = protocol ?? preferredProtocol(info);
    if (chosen === undefined || !offeredProtocols(info).includes(chosen.version)) {
      throw new ClientError(
        'device-not-supported',
        `This key does not offer PIN/UV auth protocol ${protocol?.version}; it offers ${offeredProtocols(info).join(', ')}.`,
      );
    }
    this.#ctap2 = ctap2;
    this.protocol = chosen;
  }

  /** getPINRetries (0x01). */
  async getPinRetries(options: CallOptions = {}): Promise<PinRetries> {
    const response = await this.#send(ClientPin.CMD.getPINRetries, [], 'plain', options);
    return {
      retries: reqUint(response, ClientPin.RESULT.pinRetries, WHERE),
      powerCycleState: optBool(response, ClientPin.RESULT.powerCycleState, WHERE),
    };
  }

  /** getUVRetries (0x07). */
  async getUvRetries(options: CallOptions = {}): Promise<UvRetries> {
    const response = await this.#send(ClientPin.CMD.getUVRetries, [], 'plain', options);
    return { retries: reqUint(response, ClientPin.RESULT.uvRetries, WHERE) };
  }

  /**
   * getKeyAgreement (0x02) and encapsulate: a fresh shared secret with the key, as hmac-secret and every PIN command
   * need. The caller must dispose of the result.
   */
  async getSharedSecret(options: CallOptions = {}): Promise<Encapsulation> {
    const response = await this.#send(ClientPin.CMD.getKeyAgreement, [], 'plain', options);
    return this.protocol.encapsulate(response.get(ClientPin.RESULT.keyAgreement));
  }

  /** setPIN (0x03) on a key that has no PIN yet. A PIN given as UTF-8 bytes stays the caller's to zero. */
  async setPin(pin: string | Uint8Array, options: CallOptions = {}): Promise<void> {
    const newPin = encodeAnyPin(pin, this.#minNewPinLength(), 'new PIN');
    const padded = padPin(newPin);
    let shared: Encapsulation | undefined;
    try {
      shared = await this.getSharedSecret(options);
      const newPinEnc = this.protocol.encrypt(shared.sharedSecret, padded);
      const pinUvAuthParam = this.protocol.authenticate(shared.sharedSecret, newPinEnc);
      await this.#send(
        ClientPin.CMD.setPIN,
        [
          [ClientPin.PARAM.keyAgreement, shared.keyAgreement],
          [ClientPin.PARAM.pinUvAuthParam, pinUvAuthParam],
          [ClientPin.PARAM.newPinEnc, newPinEnc],
        ],
        'setPin',
        options,
      );
    } finally {
      zeroize(newPin, padded);
      shared?.dispose();
    }
  }

  /** changePIN (0x04): also what a key with forcePINChange set waits for. PINs given as bytes stay the caller's. */
  async changePin(
    currentPin: string | Uint8Array,
    newPin: string | Uint8Array,
    options: CallOptions = {},
  ): Promise<void> {
    const current = encodeAnyPin(currentPin, SPEC_MIN_PIN_LENGTH, 'current PIN');
    let next: Uint8Array | undefined;
    let padded: Uint8Array | undefined;
    let pinHash: Uint8Array | undefined;
    let shared: Encapsulation | undefined;
    try {
      next = encodeAnyPin(newPin, this.#minNewPinLength(), 'new PIN');
      padded = padPin(next);
      pinHash = hashPin(current);
      shared = await this.getSharedSecret(options);
      const pinHashEnc = this.protocol.encrypt(shared.sharedSecret, pinHash);
      const newPinEnc = this.protocol.encrypt(shared.sharedSecret, padded);
      const authInput = new Uint8Array(newPinEnc.length + pinHashEnc.length);
      authInput.set(newPinEnc);
      authInput.set(pinHashEnc, newPinEnc.length);
      const pinUvAuthParam = this.protocol.authenticate(shared.sharedSecret, authInput);
      await this.#send(
        ClientPin.CMD.changePIN,
        [
          [ClientPin.PARAM.keyAgreement, shared.keyAgreement],
          [ClientPin.PARAM.pinUvAuthParam, pinUvAuthParam],
          [ClientPin.PARAM.newPinEnc, newPinEnc],
          [ClientPin.PARAM.pinHashEnc, pinHashEnc],
        ],
        'plain',
        options,
      );
    } finally {
      zeroize(current, next, padded, pinHash);
      shared?.dispose();
    }
  }

  /**
   * A pinUvAuthToken from the PIN: getPinUvAuthTokenUsingPinWithPermissions (0x09) when the key has the
   * `pinUvAuthToken` option, else the legacy getPinToken (0x05). The PIN may be UTF-8 bytes, so a caller can zero its
   * copy (a string cannot be wiped); those bytes stay the caller's: it zeroes them.
   */
  async getPinToken(pin: string | Uint8Array, options: GetPinTokenOptions = {}): Promise<PinUvAuthToken> {
    const permissions = options.permissions ?? ClientPin.PERMISSION.mc | ClientPin.PERMISSION.ga;
    checkPermissions(permissions, options.rpId);
    const withPermissions = this.#ctap2.info.options.get('pinUvAuthToken') === true;
    const current = encodeAnyPin(pin, SPEC_MIN_PIN_LENGTH, 'PIN');
    let pinHash: Uint8Array | undefined;
    let shared: Encapsulation | undefined;
    try {
      pinHash = hashPin(current);
      shared = await this.getSharedSecret(options);
      const pinHashEnc = this.protocol.encrypt(shared.sharedSecret, pinHash);
      const params: [number, CborInput | undefined][] = [
        [ClientPin.PARAM.keyAgreement, shared.keyAgreement],
        [ClientPin.PARAM.pinHashEnc, pinHashEnc],
      ];
      if (withPermissions) {
        params.push([ClientPin.PARAM.permissions, permissions], [ClientPin.PARAM.rpId, options.rpId]);
      }
      const cmd = withPermissions ? ClientPin.CMD.getPinUvAuthTokenUsingPinWithPermissions : ClientPin.CMD.getPinToken;
      const response = await this.#send(cmd, params, 'pinToken', options);
      return this.#decryptToken(response, shared, permissions, options.rpId, !withPermissions);
    } finally {
      zeroize(current, pinHash);
      shared?.dispose();
    }
  }

  /** A pinUvAuthToken from built-in user verification (e.g. a fingerprint): getPinUvAuthTokenUsingUvWithPermissions (0x06). */
  async getUvToken(options: GetUvTokenOptions): Promise<PinUvAuthToken> {
    const { info } = this.#ctap2;
    if (info.options.get('pinUvAuthToken') !== true || !info.options.has('uv')) {
      throw new ClientError(
        'device-not-supported',
        'This key has no built-in user verification that hands out tokens (options uv and pinUvAuthToken).',
      );
    }
    checkPermissions(options.permissions, options.rpId);
    let shared: Encapsulation | undefined;
    try {
      shared = await this.getSharedSecret(options);
      const response = await this.#send(
        ClientPin.CMD.getPinUvAuthTokenUsingUvWithPermissions,
        [
          [ClientPin.PARAM.keyAgreement, shared.keyAgreement],
          [ClientPin.PARAM.permissions, options.permissions],
          [ClientPin.PARAM.rpId, options.rpId],
        ],
        'plain',
        options,
      );
      return this.#decryptToken(response, shared, options.permissions, options.rpId, false);
    } finally {
      shared?.dispose();
    }
  }

  #minNewPinLength(): number {
    return Math.max(SPEC_MIN_PIN_LENGTH, this.#ctap2.info.minPINLength ?? SPEC_MIN_PIN_LENGTH);
  }

  #decryptToken(
    response: CborMap,
    shared: Encapsulation,
    permissions: number,
    rpId: string | undefined,
    legacy: boolean,
  ): PinUvAuthToken {
    const encrypted = response.get(ClientPin.RESULT.pinUvAuthToken);
    if (!(encrypted instanceof Uint8Array)) {
      throw new ProtocolError(
        `clientPin response field 0x02 (pinUvAuthToken) is ${describeValue(encrypted)}, expected a byte string`,
      );
    }
    const token = this.protocol.decrypt(shared.sharedSecret, encrypted);
    try {
      this.protocol.validateToken(token);
    } catch (error) {
      zeroize(token);
      throw error;
    }
    return new PinUvAuthToken(this.protocol, token, permissions, rpId, legacy);
  }

  /** Sends one subcommand; the protocol and subcommand keys come first, then `params` in canonical key order. */
  async #send(
    subCommand: number,
    params: [number, CborInput | undefined][],
    kind: RequestKind,
    options: CallOptions,
  ): Promise<CborMap> {
    const map = new Map<number, CborInput | undefined>([
      [ClientPin.PARAM.pinUvAuthProtocol, this.protocol.version],
      [ClientPin.PARAM.subCommand, subCommand],
      ...params,
    ]);
    try {
      return await this.#ctap2.send(Ctap2Cmd.CLIENT_PIN, map, options);
    } catch (error) {
      throw await this.#explain(error, kind, options);
    }
  }

  /** Turns PIN and UV failures into ClientErrors with the attempts left; everything else passes through unchanged. */
  async #explain(error: unknown, kind: RequestKind, options: CallOptions): Promise<unknown> {
    if (!(error instanceof CtapError)) return error;
    switch (error.status) {
      case CtapStatus.CTAP2_ERR_PIN_INVALID:
      case CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED:
        return withRetries(
          error,
          await this.#retriesAfterFailure(ClientPin.CMD.getPINRetries, ClientPin.RESULT.pinRetries, options),
        );
      case CtapStatus.CTAP2_ERR_UV_INVALID:
        return withRetries(
          error,
          await this.#retriesAfterFailure(ClientPin.CMD.getUVRetries, ClientPin.RESULT.uvRetries, options),
        );
      case CtapStatus.CTAP2_ERR_PIN_BLOCKED:
      case CtapStatus.CTAP2_ERR_UV_BLOCKED:
        return withRetries(error, 0);
      case CtapStatus.CTAP2_ERR_PIN_NOT_SET:
        return toClientError(error);
      case CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION:
        // A token request meets this status only when the key has forcePINChange set (section 6.5.5.7).
        return kind === 'pinToken'
          ? new ClientError(
              'pin-change-required',
              'The key requires a new PIN before it can be used: change the PIN.',
              { cause: error },
            )
          : toClientError(error);
      case CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID:
        // setPIN answers this when a PIN is already set (section 6.5.5.5); elsewhere it means our MAC was wrong.
        return kind === 'setPin'
          ? new ClientError('not-allowed', 'A PIN is already set on this key: change it instead.', { cause: error })
          : error;
      default:
        return error;
    }
  }

  /** The attempts left after a failure, for the message; undefined when the key will not say. */
  async #retriesAfterFailure(subCommand: number, key: number, options: CallOptions): Promise<number | undefined> {
    try {
      const response = await this.#ctap2.send(
        Ctap2Cmd.CLIENT_PIN,
        new Map([
          [ClientPin.PARAM.pinUvAuthProtocol, this.protocol.version],
          [ClientPin.PARAM.subCommand, subCommand],
        ]),
        { signal: options.signal, timeoutMs: options.timeoutMs },
      );
      return reqUint(response, key, WHERE);
    } catch {
      return undefined;
    }
  }
}

function offeredProtocols(info: ClientPinInfo): readonly number[] {
  // CTAP 2.0 keys may leave pinUvAuthProtocols out; their only protocol is one.
  return info.pinUvAuthProtocols.length > 0 ? info.pinUvAuthProtocols : [1];
}

function preferredProtocol(info: ClientPinInfo): PinUvAuthProtocol | undefined {
  const offered = offeredProtocols(info);
  if (offered.includes(2)) return new PinUvAuthProtocolV2();
  if (offered.includes(1)) return new PinUvAuthProtocolV1();
  return undefined;
}

function withRetries(error: CtapError, retriesLeft: number | undefined): ClientError {
  const base = toClientError(error);
  if (retriesLeft === undefined) return base;
  const left = `${retriesLeft} attempt${retriesLeft === 1 ? '' : 's'} left.`;
  return new ClientError(base.reason, `${base.message} ${left}`, { cause: error, retriesLeft });
}

function checkPermissions(permissions: number, rpId: string | undefined): void {
  if (!Number.isInteger(permissions) || permissions < 1 || permissions > 0xff) {
    throw new ClientError(
      'bad-request',
      `Token permissions must be a non-zero set of ClientPin.PERMISSION bits, got ${permissions}.`,
    );
  }
  if (rpId !== undefined && (typeof rpId !== 'string' || rpId.length === 0)) {
    throw new ClientError('bad-request', 'The permissions RP ID must be a non-empty string.');
  }
}

function policyViolation(message: string): ClientError {
  return new ClientError('pin-policy-violation', message);
}

/**
 * The UTF-8 bytes of a PIN in Unicode Normalization Form C, checked against section 6.5.1: at least `minLength` code
 * points and at most 63 bytes. A zero byte would end the PIN early once padded, so U+0000 is refused too.
 * The caller zeroes the result.
 */
function encodePin(pin: string, minLength: number, what: string): Uint8Array {
  if (typeof pin !== 'string') throw new ClientError('bad-request', `The ${what} must be a string.`);
  const nfc = pin.normalize('NFC');
  if (/\p{Cs}/u.test(nfc))
    throw policyViolation(`The ${what} is not valid Unicode text (it has an unpaired surrogate).`);
  if (nfc.includes('\u0000')) throw policyViolation(`The ${what} must not contain the NUL character.`);
  let codePoints = 0;
  for (const _ of nfc) codePoints++;
  if (codePoints < minLength)
    throw policyViolation(`The ${what} must have at least ${minLength} characters; it has ${codePoints}.`);
  const bytes = textEncoder.encode(nfc);
  if (bytes.length > MAX_PIN_BYTES) {
    const length = bytes.length;
    zeroize(bytes);
    throw policyViolation(`The ${what} must be at most ${MAX_PIN_BYTES} bytes in UTF-8; it is ${length} bytes.`);
  }
  return bytes;
}

/**
 * encodePin for a PIN given as UTF-8 bytes: a copy the caller zeroes. An ASCII PIN (digits, the usual case) is already
 * in Normalization Form C and is checked without ever becoming a string; any other goes through encodePin, and so
 * briefly through a string, because only String.prototype.normalize knows NFC.
 */
function encodePinBytes(pin: Uint8Array, minLength: number, what: string): Uint8Array {
  if (!pin.every((byte) => byte < 0x80))
    return encodePin(new TextDecoder('utf-8', { fatal: false }).decode(pin), minLength, what);
  if (pin.includes(0)) throw policyViolation(`The ${what} must not contain the NUL character.`);
  if (pin.length < minLength)
    throw policyViolation(`The ${what} must have at least ${minLength} characters; it has ${pin.length}.`);
  if (pin.length > MAX_PIN_BYTES)
    throw policyViolation(`The ${what} must be at most ${MAX_PIN_BYTES} bytes in UTF-8; it is ${pin.length} bytes.`);
  return Uint8Array.from(pin);
}

/** encodePin or encodePinBytes, as the PIN was given. */
function encodeAnyPin(pin: string | Uint8Array, minLength: number, what: string): Uint8Array {
  return pin instanceof Uint8Array ? encodePinBytes(pin, minLength, what) : encodePin(pin, minLength, what);
}

/** newPin padded with zero bytes to 64 (section 6.5.5.5). */
function padPin(pin: Uint8Array): Uint8Array {
  const padded = new Uint8Array(PADDED_PIN_BYTES);
  padded.set(pin);
  return padded;
}

/** LEFT(SHA-256(PIN), 16): the PIN hash the key compares (section 6.5.5.7.1). */
function hashPin(pin: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(pin).digest();
  const left = new Uint8Array(16);
  left.set(digest.subarray(0, 16));
  zeroize(digest);
  return left;
}
