// The WebAuthnClient's public types: how it talks to the user (WebAuthnUi), where its keys come from, and its options.

import type { AuthenticationExtensionsClientInputs } from '@simplewebauthn/server';
import type { OpenedAuthenticator } from '../authenticator/OpenedAuthenticator.js';
import type { Ctap1 } from '../ctap1/Ctap1.js';
import type { Ctap2 } from '../ctap2/Ctap2.js';
import type { CredentialProtectionPolicy } from '../ctap2/extensions/credProtect.js';
import type { CtapLogger } from '../logger.js';
import type { CtapDevice, CtapTransport } from '../transport.js';

/**
 * Why the client asks for the PIN:
 * - `uv-required`: the relying party requires user verification.
 * - `uv-preferred`: the relying party prefers it and the key has a PIN set.
 * - `pin-required`: the key itself insists (alwaysUv, or a passkey on a PIN-protected key), even though the relying
 *   party did not ask.
 * - `uv-fallback`: built-in user verification (fingerprint) failed or is blocked; the PIN replaces it.
 * - `pin-invalid`: the previous PIN was wrong; `retriesLeft` says how many attempts remain.
 * - `pin-format`: the previous PIN broke the key's rules (too short, too long); nothing was sent to the key.
 */
export type PinRequestReason =
  'uv-required' | 'uv-preferred' | 'pin-required' | 'uv-fallback' | 'pin-invalid' | 'pin-format';

export interface PinRequest {
  reason: PinRequestReason;
  /** PIN attempts left before the key blocks its PIN for good (a reset is then the only way out). */
  retriesLeft?: number;
  /** The shortest PIN the key accepts, in characters, when the key says. */
  minPinLength?: number;
  /** The key's name, when the device source gave one. */
  device?: string;
  /** The relying party the PIN unlocks this operation for. */
  rpId: string;
  /** Aborted when the operation is cancelled or times out: close the prompt. */
  signal: AbortSignal;
}

/**
 * What the key waits for: `select` a touch to pick this key among several, `presence` a touch to approve the
 * operation, `fingerprint` a finger on the sensor (built-in user verification).
 */
export type TouchPurpose = 'select' | 'presence' | 'fingerprint';

export interface TouchRequest {
  purpose: TouchPurpose;
  /** The key's name, when the device source gave one. */
  device?: string;
}

export interface UvRetryRequest {
  /** Fingerprint attempts left before built-in verification is blocked (the PIN is then needed). */
  retriesLeft?: number;
  device?: string;
}

/** One connected key as shown to the user in a device chooser. */
export interface DeviceChoice {
  name?: string;
  transport: CtapTransport;
  /** 'u2f' keys can only make non-discoverable credentials and cannot verify the user. */
  protocol: 'ctap2' | 'u2f';
}

export interface DeviceChoiceRequest {
  devices: readonly DeviceChoice[];
  signal: AbortSignal;
}

/** One account a key holds a passkey for, as shown in an account chooser (base64url user handle). */
export interface AccountChoice {
  credentialId: string;
  userHandle?: string;
  name?: string;
  displayName?: string;
}

export interface AccountChoiceRequest {
  accounts: readonly AccountChoice[];
  rpId: string;
  signal: AbortSignal;
}

/** How the client talks to the user. Only requestPin is required; the rest have quiet defaults. */
export interface WebAuthnUi {
  /**
   * Asks for the key's PIN. Resolve undefined (or an empty PIN) when the user cancels: the operation then fails with
   * 'cancelled'. UTF-8 bytes are handed over to the client, which zeroes them once used; a string cannot be wiped.
   */
  requestPin(req: PinRequest): Promise<string | Uint8Array | undefined>;
  /** The key waits for the user (called once per request, on the key's first "user presence needed" keepalive). */
  onTouch?(req: TouchRequest): void;
  /**
   * Picks one key when several are connected: resolve its index, or undefined to cancel.
   * @default ask every key for a touch at once and take the first one touched (selectByTouch)
   */
  chooseDevice?(req: DeviceChoiceRequest): Promise<number | undefined>;
  /**
   * Picks one account when a key holds several passkeys for the relying party (get() without allowCredentials):
   * resolve its index, or undefined to cancel.
   * @default the first account the key returned (the most recently created one, by CTAP's rules)
   */
  chooseAccount?(req: AccountChoiceRequest): Promise<number | undefined>;
  /** The fingerprint was not recognised and the client asks the key again. */
  onUvRetry?(req: UvRetryRequest): void;
}

/**
 * A key the client can use: a raw channel (CTAP2 or U2F is detected), a Ctap2 / Ctap1 the caller already made, or a key
 * the caller already opened (detectCtapVersion, a device manager).
 */
export type WebAuthnAuthenticator = CtapDevice | Ctap2 | Ctap1 | OpenedAuthenticator;

/** A key with the name to show for it (e.g. "YubiKey 5 NFC"). */
export interface NamedAuthenticator {
  authenticator: WebAuthnAuthenticator;
  name?: string;
}

/**
 * Where the client finds its keys: called at the start of every create() and get(). The caller owns the devices: the
 * client never closes them. A CtapDevice has its getInfo read afresh (so a PIN set meanwhile is seen); a Ctap2 is used
 * with the getInfo it holds, and an OpenedAuthenticator as it is.
 */
export type WebAuthnDeviceSource = () => Promise<readonly (WebAuthnAuthenticator | NamedAuthenticator)[]>;

export interface WebAuthnClientOptions {
  /** The caller's origin as WebAuthn serializes it, e.g. 'https://latchkey.localhost'. It goes into clientDataJSON. */
  origin: string;
  /**
   * The RP ID used when the request options name none. Must be the origin's host or a registrable suffix of it.
   * @default the origin's host
   */
  rpId?: string;
  ui: WebAuthnUi;
  /** The connected keys; see {@link WebAuthnDeviceSource}. */
  devices: WebAuthnDeviceSource;
  /**
   * The timeout when the request options carry none, in milliseconds (WebAuthn Level 3 suggests 300000).
   * @default 300000
   */
  defaultTimeoutMs?: number;
  /**
   * Whether a domain is a public suffix (like "co.uk"), which can never be an RP ID. Pass a Public Suffix List lookup
   * for origins on the open web.
   * @default single-label names other than "localhost" count as public suffixes
   */
  isPublicSuffix?: (domain: string) => boolean;
  /** Where warnings (a UI callback that threw) go. Never receives PINs, tokens or hmac outputs. @default silent */
  logger?: CtapLogger;
}

/** Options of {@link WebAuthnClient.create} and {@link WebAuthnClient.get}. */
export interface WebAuthnCallOptions {
  /** Aborting cancels the key's pending request and rejects with ClientError('cancelled'). */
  signal?: AbortSignal;
}

/** A byte value in request options: base64url text (WebAuthn's JSON forms) or bytes. */
export type BytesInput = string | ArrayBuffer | ArrayBufferView;

/** prf values (WebAuthn Level 3 section 10.1.4): any length, hashed into hmac-secret salts. */
export interface PrfValuesInput {
  first: BytesInput;
  second?: BytesInput;
}

/**
 * The client extension inputs this client processes, beyond SimpleWebAuthn's type: credProtect's
 * (CTAP 2.1 section 12.1) and hmac-secret's raw salts (hmacGetSecret, 32 bytes each). Unknown extensions are ignored.
 */
export interface WebAuthnExtensionInputs extends Omit<AuthenticationExtensionsClientInputs, 'prf'> {
  prf?: { eval?: PrfValuesInput; evalByCredential?: Record<string, PrfValuesInput> };
  credentialProtectionPolicy?: CredentialProtectionPolicy;
  enforceCredentialProtectionPolicy?: boolean;
  hmacGetSecret?: { salt1: BytesInput; salt2?: BytesInput };
}

/**
 * The clientExtensionResults this client produces, in WebAuthn Level 3's JSON form (bytes as base64url). The prf and
 * hmacGetSecret outputs are secrets derived on the key: keep them out of logs.
 */
export interface WebAuthnExtensionOutputs {
  credProps?: { rk: boolean };
  hmacCreateSecret?: boolean;
  hmacGetSecret?: { output1: string; output2?: string };
  prf?: { enabled?: boolean; results?: { first: string; second?: string } };
}
