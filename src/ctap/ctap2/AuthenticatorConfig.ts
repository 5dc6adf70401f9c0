// authenticatorConfig (CTAP 2.1 section 6.11), client side: enterprise attestation, always-UV and the minimum PIN length.

import { encodeCbor, type CborInput } from '../cbor/encode.js';
import { concatBytes } from '../bytes.js';
import { ClientError } from '../errors.js';
import type { CallOptions } from '../transport.js';
import type { PinUvAuthToken } from './ClientPin.js';
import { Ctap2Cmd } from './constants.js';
import { PIN_UV_AUTH_PREFIX, type FeatureCtap2 } from './featureAuth.js';

/** The part of getInfo AuthenticatorConfig reads. */
export interface AuthenticatorConfigInfo {
  readonly options: ReadonlyMap<string, boolean>;
  readonly maxRPIDsForSetMinPINLength?: number;
}

/** Options of {@link AuthenticatorConfig.setMinPinLength}; every field is optional, as in the spec. */
export interface SetMinPinLengthOptions extends CallOptions {
  /**
   * The new minimum PIN length in Unicode code points, 4 to 63. Keys refuse to lower it (PIN_POLICY_VIOLATION).
   * @default unchanged
   */
  newMinPINLength?: number;
  /**
   * RP IDs allowed to read the minimum PIN length through the minPinLength extension; at most the key's
   * maxRPIDsForSetMinPINLength.
   * @default unchanged
   */
  minPinLengthRPIDs?: readonly string[];
  /**
   * Make the key demand a PIN change before the PIN is used again.
   * @default false (not sent)
   */
  forceChangePin?: boolean;
}

/** CTAP's absolute minimum PIN length in code points (section 6.5.1). */
const SPEC_MIN_PIN_LENGTH = 4;
/** A PIN is at most 63 bytes (section 6.5.1), so no longer minimum could ever be met. */
const MAX_PIN_BYTES = 63;

export class AuthenticatorConfig {
  /** Section 6.11: authenticatorConfig subCommand values. */
  static readonly CMD = {
    enableEnterpriseAttestation: 0x01,
    toggleAlwaysUv: 0x02,
    setMinPINLength: 0x03,
    vendorPrototype: 0xff,
  } as const;

  /** Section 6.11: authenticatorConfig request parameter keys. */
  static readonly PARAM = {
    subCommand: 0x01,
    subCommandParams: 0x02,
    pinUvAuthProtocol: 0x03,
    pinUvAuthParam: 0x04,
  } as const;

  /** Section 6.11.4: setMinPINLength subCommandParams keys. */
  static readonly SET_MIN_PIN_LENGTH_PARAM = {
    newMinPINLength: 0x01,
    minPinLengthRPIDs: 0x02,
    forceChangePin: 0x03,
  } as const;

  /** Whether the key takes authenticatorConfig (option `authnrCfg`). */
  static isSupported(info: AuthenticatorConfigInfo): boolean {
    return info.options.get('authnrCfg') === true;
  }

  readonly #ctap2: FeatureCtap2<AuthenticatorConfigInfo>;
  readonly #token: PinUvAuthToken | undefined;

  /**
   * @param token a token with the `acfg` permission (ClientPin.PERMISSION.acfg); only a key with no PIN and no built-in
   *   user verification takes the commands without one
   */
  constructor(ctap2: FeatureCtap2<AuthenticatorConfigInfo>, token?: PinUvAuthToken) {
    if (!AuthenticatorConfig.isSupported(ctap2.info)) {
      throw new ClientError('device-not-supported', 'This key cannot be configured (no authnrCfg option).');
    }
    this.#ctap2 = ctap2;
    this.#token = token;
  }

  /** enableEnterpriseAttestation (0x01). There is no command to turn it off again: only authenticatorReset does. */
  async enableEnterpriseAttestation(options: CallOptions = {}): Promise<void> {
    this.#requireOption('ep', 'enterprise attestation');
    await this.#call(AuthenticatorConfig.CMD.enableEnterpriseAttestation, undefined, options);
  }

  /** toggleAlwaysUv (0x02): flips the alwaysUv option; read getInfo again for the new state. */
  async toggleAlwaysUv(options: CallOptions = {}): Promise<void> {
    this.#requireOption('alwaysUv', 'the always-UV setting');
    await this.#call(AuthenticatorConfig.CMD.toggleAlwaysUv, undefined, options);
  }

  /** setMinPINLength (0x03). */
  async setMinPinLength(options: SetMinPinLengthOptions = {}): Promise<void> {
    this.#requireOption('setMinPINLength', 'a minimum PIN length');
    const { newMinPINLength, minPinLengthRPIDs, forceChangePin } = options;
    if (
      newMinPINLength !== undefined &&
      (!Number.isInteger(newMinPINLength) || newMinPINLength < SPEC_MIN_PIN_LENGTH || newMinPINLength > MAX_PIN_BYTES)
    ) {
      throw new ClientError(
        'bad-request',
        `The minimum PIN length must be a whole number from ${SPEC_MIN_PIN_LENGTH} to ${MAX_PIN_BYTES}, got ${newMinPINLength}.`,
      );
    }
    if (minPinLengthRPIDs !== undefined) {
      if (
        !Array.isArray(minPinLengthRPIDs) ||
        !minPinLengthRPIDs.every((id) => typeof id === 'string' && id.length > 0)
      ) {
        throw new ClientError('bad-request', 'minPinLengthRPIDs must be a list of non-empty RP IDs.');
      }
      const max = this.#ctap2.info.maxRPIDsForSetMinPINLength ?? 0;
      if (minPinLengthRPIDs.length > max) {
        throw new ClientError(
          'bad-request',
          `This key lets at most ${max} RP IDs read the minimum PIN length; ${minPinLengthRPIDs.length} were given.`,
        );
      }
    }
    if (forceChangePin !== undefined && typeof forceChangePin !== 'boolean') {
      throw new ClientError('bad-request', 'forceChangePin must be true or false.');
    }
    const { SET_MIN_PIN_LENGTH_PARAM: P } = AuthenticatorConfig;
    const params = new Map<number, CborInput>();
    if (newMinPINLength !== undefined) params.set(P.newMinPINLength, newMinPINLength);
    if (minPinLengthRPIDs !== undefined) params.set(P.minPinLengthRPIDs, minPinLengthRPIDs);
    if (forceChangePin !== undefined) params.set(P.forceChangePin, forceChangePin);
    await this.#call(AuthenticatorConfig.CMD.setMinPINLength, params.size > 0 ? params : undefined, options);
  }

  #requireOption(option: string, what: string): void {
    // The option's presence says the key supports the subcommand; its value is the current state.
    if (!this.#ctap2.info.options.has(option)) {
      throw new ClientError('device-not-supported', `This key does not support ${what} (no ${option} option).`);
    }
  }

  /** Sends one subcommand, with pinUvAuthParam = authenticate(token, 32 x 0xff || 0x0d || subCommand || subCommandParams) when there is a token. */
  async #call(
    subCommand: number,
    params: ReadonlyMap<number, CborInput> | undefined,
    options: CallOptions,
  ): Promise<void> {
    const request = new Map<number, CborInput | undefined>([
      [AuthenticatorConfig.PARAM.subCommand, subCommand],
      [AuthenticatorConfig.PARAM.subCommandParams, params],
    ]);
    const token = this.#token;
    if (token !== undefined) {
      const head = concatBytes(PIN_UV_AUTH_PREFIX, Uint8Array.of(Ctap2Cmd.CONFIG, subCommand));
      const message = params === undefined ? head : concatBytes(head, encodeCbor(params));
      request.set(AuthenticatorConfig.PARAM.pinUvAuthProtocol, token.protocol.version);
      request.set(AuthenticatorConfig.PARAM.pinUvAuthParam, token.authenticate(message));
    }
    await this.#ctap2.send(Ctap2Cmd.CONFIG, request, options);
  }
}
