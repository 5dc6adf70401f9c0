// The CTAP2 authenticator API over any CtapDevice (CTAP 2.2 section 6): getInfo, makeCredential, getAssertion, reset, selection.

import { CborError } from '../cbor/CborError.js';
import { decodeCbor, type CborDecodeOptions } from '../cbor/decode.js';
import { encodeCborAfterByte, type CborInput } from '../cbor/encode.js';
import type { CborMap } from '../cbor/types.js';
import { ClientError, CtapError, ProtocolError } from '../errors.js';
import { silentLogger, type CtapLogger } from '../logger.js';
import { CtapDeviceCmd, type CallOptions, type CtapDevice } from '../transport.js';
import type { PinUvAuthToken } from './ClientPin.js';
import { Ctap2Cmd } from './constants.js';
import {
  encodeGetAssertionParams,
  parseAssertionResponse,
  type AssertionResponse,
  type GetAssertionParams,
} from './getAssertion.js';
import { parseAuthenticatorInfo, type AuthenticatorInfo } from './info.js';
import {
  encodeMakeCredentialParams,
  parseAttestationResponse,
  type AttestationResponse,
  type MakeCredentialParams,
} from './makeCredential.js';
import { CtapStatus } from '../ctapStatus.js';

export interface Ctap2Options {
  /** getInfo already read from this key (skips the round trip in `create`). @default read with getInfo */
  info?: AuthenticatorInfo;
  /**
   * Reject answers that are not CTAP2 canonical CBOR. When a key breaks the rules, the answer is decoded leniently
   * once, a warning is logged, and that device stays lenient. Set false to start lenient.
   * @default true
   */
  strictCbor?: boolean;
  /** Where warnings (a lenient fallback) and debug traces go. @default silent */
  logger?: CtapLogger;
}

/** Options of {@link Ctap2.create}: the Ctap2's own, and how the getInfo it reads is sent. */
export interface Ctap2CreateOptions extends Ctap2Options, CallOptions {}

/**
 * authenticatorMakeCredential's parameters as Ctap2 takes them: the PIN/UV auth token, when there is one, signs
 * clientDataHash and sends its own protocol number (pinUvAuthParam and pinUvAuthProtocol, section 6.1.1).
 */
export interface MakeCredentialRequest extends Omit<MakeCredentialParams, 'pinUvAuthParam' | 'pinUvAuthProtocol'> {
  pinUvAuthToken?: PinUvAuthToken;
}

/** authenticatorGetAssertion's parameters as Ctap2 takes them; see {@link MakeCredentialRequest}. */
export interface GetAssertionRequest extends Omit<GetAssertionParams, 'pinUvAuthParam' | 'pinUvAuthProtocol'> {
  pinUvAuthToken?: PinUvAuthToken;
}

const STRICT_CBOR: CborDecodeOptions = Object.freeze({ lenient: false });
const LENIENT_CBOR: CborDecodeOptions = Object.freeze({ lenient: true });

const CANONICAL_OFFENCES: ReadonlySet<CborError['offence']> = new Set([
  'unsorted-keys',
  'non-shortest',
  'indefinite-length',
  'tag',
]);

/** The CTAP2 client of one key. Made only by {@link Ctap2.create}, so `info` is always there for the features that read it. */
export class Ctap2 {
  private cachedInfo: AuthenticatorInfo;
  private lenient: boolean;
  private readonly logger: CtapLogger;

  private constructor(
    readonly device: CtapDevice,
    info: AuthenticatorInfo,
    lenient: boolean,
    logger: CtapLogger,
  ) {
    this.cachedInfo = info;
    this.lenient = lenient;
    this.logger = logger;
  }

  /**
   * Opens the CTAP2 API of `device`, reading getInfo once (unless `opts.info` has it), as every later call needs
   * maxMsgSize and the options.
   */
  static async create(device: CtapDevice, opts: Ctap2CreateOptions = {}): Promise<Ctap2> {
    const { info, strictCbor, logger, ...callOptions } = opts;
    const ctap2 = new Ctap2(device, info ?? EMPTY_INFO, strictCbor === false, logger ?? silentLogger);
    if (!info) await ctap2.getInfo(callOptions);
    return ctap2;
  }

  /** The last getInfo answer. */
  get info(): AuthenticatorInfo {
    return this.cachedInfo;
  }

  /** Whether this device's answers are decoded leniently (it sent non-canonical CBOR, or strictCbor was off). */
  get cborLenient(): boolean {
    return this.lenient;
  }

  /** Shared constants rather than an object per answer: the decoder and parsers only read them. */
  private get cborOptions(): CborDecodeOptions {
    return this.lenient ? LENIENT_CBOR : STRICT_CBOR;
  }

  /**
   * Sends one CTAP2 command with a map of integer-keyed parameters and returns the decoded answer map
   * (empty when the key sent the status byte alone). Throws CtapError for a non-zero status.
   */
  async send(cmd: number, params?: ReadonlyMap<number, CborInput | undefined>, opts?: CallOptions): Promise<CborMap> {
    return this.answerMap(cmd, await this.dispatch(cmd, params, opts));
  }

  /**
   * The request on its way: encoded, checked against maxMsgSize, handed to the device. Not async, so that getAssertion
   * awaits the device's own promise rather than one more async frame around it.
   */
  private dispatch(
    cmd: number,
    params: ReadonlyMap<number, CborInput | undefined> | undefined,
    opts?: CallOptions,
  ): Promise<Uint8Array> {
    const request = params ? encodeCborAfterByte(cmd, params) : Uint8Array.of(cmd);
    const limit = this.cachedInfo.maxMsgSize;
    if (request.length > limit) {
      throw new ClientError(
        'request-too-large',
        `request of ${request.length} bytes exceeds the key's maxMsgSize of ${limit} bytes`,
      );
    }
    return this.device.call(CtapDeviceCmd.CBOR, request, opts);
  }

  /** The decoded answer map of `send`, or the CtapError its status byte names. */
  private answerMap(cmd: number, answer: Uint8Array): CborMap {
    if (answer.length === 0)
      throw new ProtocolError('the key sent an empty CTAP2 answer, expected at least a status byte');
    const status = answer[0]!;
    if (status !== CtapStatus.CTAP2_OK) throw new CtapError(status);
    if (answer.length === 1) return new Map();
    const value = this.decode(answer.subarray(1));
    if (!(value instanceof Map))
      throw new ProtocolError(`CTAP2 answer to command 0x${cmd.toString(16)} is not a CBOR map`);
    return value;
  }

  private decode(bytes: Uint8Array) {
    try {
      return decodeCbor(bytes, this.cborOptions);
    } catch (error) {
      if (this.lenient || !(error instanceof CborError) || !CANONICAL_OFFENCES.has(error.offence)) throw error;
      const value = decodeCbor(bytes, LENIENT_CBOR);
      this.lenient = true;
      this.logger.warn(
        `The key sent non-canonical CBOR (${error.message}); decoding its answers leniently from now on.`,
      );
      return value;
    }
  }

  async getInfo(opts?: CallOptions): Promise<AuthenticatorInfo> {
    const info = parseAuthenticatorInfo(await this.send(Ctap2Cmd.GET_INFO, undefined, opts));
    this.cachedInfo = info;
    return info;
  }

  async makeCredential(request: MakeCredentialRequest, opts?: CallOptions): Promise<AttestationResponse> {
    const token = request.pinUvAuthToken;
    // Members named one by one rather than spread: a spread of the request made a new hidden class per call, slow to
    // build and to read (issue #8). The pinUvAuth pair comes from the token alone, never from the request's own members.
    const params: MakeCredentialParams = {
      clientDataHash: request.clientDataHash,
      rp: request.rp,
      user: request.user,
      pubKeyCredParams: request.pubKeyCredParams,
      excludeList: request.excludeList,
      extensions: request.extensions,
      options: request.options,
      pinUvAuthParam: token?.authenticate(request.clientDataHash),
      pinUvAuthProtocol: token?.protocol.version,
      enterpriseAttestation: request.enterpriseAttestation,
      attestationFormatsPreference: request.attestationFormatsPreference,
    };
    const map = await this.send(Ctap2Cmd.MAKE_CREDENTIAL, encodeMakeCredentialParams(params), opts);
    return parseAttestationResponse(map, this.cborOptions);
  }

  async getAssertion(request: GetAssertionRequest, opts?: CallOptions): Promise<AssertionResponse> {
    const token = request.pinUvAuthToken;
    // As in makeCredential: named members, no spread, the pinUvAuth pair from the token alone.
    const params: GetAssertionParams = {
      rpId: request.rpId,
      clientDataHash: request.clientDataHash,
      allowList: request.allowList,
      extensions: request.extensions,
      options: request.options,
      pinUvAuthParam: token?.authenticate(request.clientDataHash),
      pinUvAuthProtocol: token?.protocol.version,
    };
    const answer = await this.dispatch(Ctap2Cmd.GET_ASSERTION, encodeGetAssertionParams(params), opts);
    const map = this.answerMap(Ctap2Cmd.GET_ASSERTION, answer);
    const sole = params.allowList?.length === 1 ? params.allowList[0] : undefined;
    return parseAssertionResponse(map, this.cborOptions, sole);
  }

  async getNextAssertion(opts?: CallOptions): Promise<AssertionResponse> {
    return parseAssertionResponse(await this.send(Ctap2Cmd.GET_NEXT_ASSERTION, undefined, opts), this.cborOptions);
  }

  /** getAssertion then getNextAssertion for every further credential the key reported. */
  async getAssertions(request: GetAssertionRequest, opts?: CallOptions): Promise<AssertionResponse[]> {
    const first = await this.getAssertion(request, opts);
    const all = [first];
    for (let i = 1; i < (first.numberOfCredentials ?? 1); i++) all.push(await this.getNextAssertion(opts));
    return all;
  }

  /** Wipes every credential and the PIN. Keys accept it only within seconds of power-up and after a touch. */
  async reset(opts?: CallOptions): Promise<void> {
    await this.send(Ctap2Cmd.RESET, undefined, opts);
  }

  /** Waits for a touch on this key (CTAP 2.1): how a user picks one key among several. */
  async selection(opts?: CallOptions): Promise<void> {
    await this.send(Ctap2Cmd.SELECTION, undefined, opts);
  }
}

/** What a Ctap2 holds only while create() waits for the key's first getInfo answer: no versions, options or size limit yet. */
const EMPTY_INFO: AuthenticatorInfo = {
  versions: [],
  extensions: [],
  aaguid: new Uint8Array(16),
  options: new Map(),
  maxMsgSize: Number.MAX_SAFE_INTEGER,
  pinUvAuthProtocols: [],
  transports: [],
  unknown: new Map(),
};
