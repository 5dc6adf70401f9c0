// A WebAuthn platform client for security keys (like python-fido2's Fido2Client): create() and get() in SimpleWebAuthn's JSON, over CTAP2 or U2F.

import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { toClientError } from '../errors.js';
import { silentLogger, type CtapLogger } from '../logger.js';
import { authenticateWithCtap2 } from './authenticateWithCtap2.js';
import { Ceremony } from './ceremony.js';
import { collectClientData } from './clientData.js';
import { chooseKey, resolveKeys, type ResolvedKey } from './devices.js';
import { readGetExtensions } from './extensions.js';
import { registerWithCtap2 } from './registerWithCtap2.js';
import {
  readCreationOptions,
  readRequestOptions,
  type CreationOptions,
  type RequestOptions,
} from './requestOptions.js';
import { checkOrigin, checkRpId, isSingleLabelSuffix, type CheckedOrigin } from './rpId.js';
import type { WebAuthnCallOptions, WebAuthnClientOptions, WebAuthnDeviceSource, WebAuthnUi } from './types.js';
import { authenticateWithU2f, registerWithU2f } from './u2fFallback.js';

/** WebAuthn Level 3 section 5.4.1 (timeout): the suggested default. */
const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Registers and uses credentials on security keys as a browser would for one origin.
 *
 * - clientDataJSON is built as WebAuthn Level 3 section 5.8.1.1 says (crossOrigin false) and hashed with SHA-256; the
 *   RP ID must be the origin's host or a registrable suffix of it.
 * - userVerification: `required` uses the fingerprint (a token, or the legacy uv option) or the PIN and fails with
 *   ClientError 'uv-required' on a key with neither; `preferred` uses what the key has set up; `discouraged` asks for
 *   nothing unless the key itself insists (alwaysUv, or a passkey on a PIN-protected key without makeCredUvNotRqd).
 * - Several keys: the UI's chooseDevice, else the first key touched. U2F-only keys are driven through Ctap1 and give a
 *   fido-u2f attestation.
 * - Attestation preference `none` (the default) replaces the key's attestation statement with the "none" format and
 *   keeps the AAGUID; see conveyAttestation.
 * - Errors are ClientErrors; a cancel through the signal is 'cancelled' and the key is told to stop; the timeout
 *   (options.timeout, else `defaultTimeoutMs`) is 'timeout'.
 */
export class WebAuthnClient {
  readonly origin: string;
  readonly rpId: string;
  readonly #checked: CheckedOrigin;
  readonly #ui: WebAuthnUi;
  readonly #devices: WebAuthnDeviceSource;
  readonly #defaultTimeoutMs: number;
  readonly #isPublicSuffix: (domain: string) => boolean;
  readonly #logger: CtapLogger;

  /** Throws ClientError('bad-request') for an origin that is not a secure serialized origin, or an RP ID it may not use. */
  constructor(options: WebAuthnClientOptions) {
    this.#checked = checkOrigin(options.origin);
    this.origin = this.#checked.origin;
    this.#isPublicSuffix = options.isPublicSuffix ?? isSingleLabelSuffix;
    this.rpId = options.rpId ?? this.#checked.host;
    checkRpId(this.rpId, this.#checked, this.#isPublicSuffix);
    this.#ui = options.ui;
    this.#devices = options.devices;
    const timeout = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0)
      throw new RangeError(`defaultTimeoutMs must be a positive number, got ${timeout}`);
    this.#defaultTimeoutMs = timeout;
    this.#logger = options.logger ?? silentLogger;
  }

  /** navigator.credentials.create(): makes a credential on the key the user picks and returns it as the relying party receives it. */
  async create(options: CreationOptions, callOptions: WebAuthnCallOptions = {}): Promise<RegistrationResponseJSON> {
    return this.#run(callOptions, () => {
      const req = readCreationOptions(options, this.rpId);
      checkRpId(req.rpId, this.#checked, this.#isPublicSuffix);
      const clientData = collectClientData('webauthn.create', req.challenge, this.origin);
      return {
        rpId: req.rpId,
        timeoutMs: req.timeoutMs,
        perform: (key, ceremony) =>
          key.kind === 'ctap2'
            ? registerWithCtap2(key.ctap2, req, clientData, ceremony)
            : registerWithU2f(key.ctap1, req, clientData, ceremony),
      };
    });
  }

  /** navigator.credentials.get(): an assertion from the key the user picks, as the relying party receives it. */
  async get(options: RequestOptions, callOptions: WebAuthnCallOptions = {}): Promise<AuthenticationResponseJSON> {
    return this.#run(callOptions, () => {
      const req = readRequestOptions(options, this.rpId);
      checkRpId(req.rpId, this.#checked, this.#isPublicSuffix);
      const ext = readGetExtensions(
        req.extensions,
        req.allowList.map((c) => c.id),
      );
      const clientData = collectClientData('webauthn.get', req.challenge, this.origin);
      return {
        rpId: req.rpId,
        timeoutMs: req.timeoutMs,
        perform: (key, ceremony) =>
          key.kind === 'ctap2'
            ? authenticateWithCtap2(key.ctap2, req, ext, clientData, ceremony)
            : authenticateWithU2f(key.ctap1, req, ext, clientData, ceremony),
      };
    });
  }

  /** Validates the request (before any key is asked), then finds, picks and uses a key under one cancel signal and timeout. */
  async #run<T>(
    callOptions: WebAuthnCallOptions,
    prepare: () => {
      rpId: string;
      timeoutMs: number | undefined;
      perform: (key: ResolvedKey, ceremony: Ceremony) => Promise<T>;
    },
  ): Promise<T> {
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare();
    } catch (error) {
      throw toClientError(error);
    }
    const { rpId, timeoutMs, perform } = prepared;
    const ceremony = new Ceremony({
      ui: this.#ui,
      logger: this.#logger,
      rpId,
      timeoutMs: timeoutMs ?? this.#defaultTimeoutMs,
      signal: callOptions.signal,
    });
    try {
      ceremony.throwIfAborted();
      const key = await chooseKey(await resolveKeys(this.#devices, ceremony), ceremony);
      ceremony.device = key.name;
      return await perform(key, ceremony);
    } catch (error) {
      throw ceremony.toClientError(error);
    } finally {
      ceremony.dispose();
    }
  }
}
