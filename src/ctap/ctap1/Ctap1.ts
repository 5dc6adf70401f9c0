// CTAP1/U2F client (FIDO U2F Raw Message Formats v1.2): version, register and authenticate as APDUs over CTAPHID_MSG or NFC.

import { concatBytes, copyBytes } from '../bytes.js';
import { ClientError, ProtocolError, TransportError } from '../errors.js';
import {
  encodeCommandApdu,
  formatStatusWord,
  parseResponseApdu,
  type ApduForm,
  type CommandApdu,
  type ResponseApdu,
} from '../iso7816/apdu.js';
import { EXTENDED_MAX_NE, SHORT_MAX_NE, StatusWord } from '../iso7816/constants.js';
import {
  CtapDeviceCmd,
  DEFAULT_CALL_TIMEOUT_MS,
  KeepaliveStatus,
  type CallOptions,
  type CtapDevice,
} from '../transport.js';
import { parseAuthenticateResponse, type U2fAuthentication } from './authenticateResponse.js';
import { U2F_CLA, U2F_MAX_KEY_HANDLE_SIZE, U2F_PARAM_SIZE, U2F_V2, U2fAuthenticateP1, U2fIns } from './constants.js';
import { parseRegisterResponse, type U2fRegistration } from './registerResponse.js';
import { abortableDelay } from '../delay.js';

export interface Ctap1Options {
  /**
   * How APDU lengths are encoded. U2F over HID uses the extended encoding (Raw Message Formats "U2F Message Framing");
   * CtapNfcDevice re-frames whatever it gets for its reader, so only a key that refuses extended lengths needs 'short'.
   * @default 'extended'
   */
  apduForm?: ApduForm;
  /** How long to wait before resending a request the key answered with 6985 (touch needed). @default 250 */
  pollIntervalMs?: number;
}

/** Options of {@link Ctap1.register} and {@link Ctap1.authenticate}. */
export interface Ctap1CallOptions extends CallOptions {
  /**
   * How long to keep asking for a touch in all, and the limit for each single exchange.
   * @default 30000
   */
  timeoutMs?: number;
  /** Called once with 2 (user presence needed) when the key first asks for a touch. */
  onKeepalive?: (status: number) => void;
}

/** Options of {@link Ctap1.authenticate}. */
export interface Ctap1AuthenticateOptions extends Ctap1CallOptions {
  /**
   * Only ask whether the key made this key handle (P1 0x07): nothing is signed and no touch is needed.
   * @default false
   */
  checkOnly?: boolean;
}

/** The answer to a check-only authenticate. */
export interface U2fKeyHandleCheck {
  /** The key answered 6985: the key handle is its own, for this application parameter. */
  known: boolean;
}

/** What a poll with no touch yet looks like (Raw Message Formats "Test-of-User-Presence Required"). */
const USER_PRESENCE_REQUIRED = StatusWord.CONDITIONS_NOT_SATISFIED;

const STATUS_WORD_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(StatusWord).map(([name, sw]) => [sw, name]),
);

const textDecoder = new TextDecoder('utf-8', { fatal: true });

export class Ctap1 {
  /** Whether a CTAP2 key also takes U2F commands: its getInfo versions list U2F_V2 (CTAP 2.2 section 6.4). */
  static isSupported(info: { readonly versions: readonly string[] }): boolean {
    return info.versions.includes(U2F_V2);
  }

  private readonly apduForm: ApduForm;
  private readonly pollIntervalMs: number;

  constructor(
    readonly device: CtapDevice,
    opts: Ctap1Options = {},
  ) {
    this.apduForm = opts.apduForm ?? 'extended';
    this.pollIntervalMs = opts.pollIntervalMs ?? 250;
    if (!Number.isInteger(this.pollIntervalMs) || this.pollIntervalMs < 1) {
      throw new RangeError(`pollIntervalMs must be a positive integer, got ${this.pollIntervalMs}`);
    }
  }

  /** U2F_VERSION: 'U2F_V2' for every key that follows the spec. */
  async getVersion(opts: CallOptions = {}): Promise<string> {
    const { data, sw } = await this.send(this.command(U2fIns.VERSION, 0x00, new Uint8Array(0)), opts);
    if (sw !== StatusWord.OK) throw statusError(sw, 'version');
    try {
      return textDecoder.decode(data);
    } catch {
      throw new ProtocolError(`U2F version answer of ${data.length} bytes is not UTF-8 text`);
    }
  }

  /**
   * U2F_REGISTER: a new credential for `appParam` (SHA-256 of the application id). Keeps resending while the key
   * waits for a touch, until it is touched, `timeoutMs` runs out or `signal` aborts.
   */
  async register(
    challengeParam: Uint8Array,
    appParam: Uint8Array,
    opts: Ctap1CallOptions = {},
  ): Promise<U2fRegistration> {
    checkParam(challengeParam, 'challenge parameter');
    checkParam(appParam, 'application parameter');
    const request = this.command(U2fIns.REGISTER, 0x00, concatBytes(challengeParam, appParam));
    const data = await this.untilTouched(request, 'register', opts);
    return parseRegisterResponse(data, { appParam: copyBytes(appParam), challengeParam: copyBytes(challengeParam) });
  }

  /**
   * U2F_AUTHENTICATE. With `checkOnly`, asks whether the key made `keyHandle` for `appParam` (6985 yes, 6A80 no)
   * without a touch; otherwise signs (P1 0x03), polling while the key waits for a touch. A key handle the key does not
   * know makes the signing request fail with TransportError('apdu', detail 0x6A80).
   */
  authenticate(
    challengeParam: Uint8Array,
    appParam: Uint8Array,
    keyHandle: Uint8Array,
    opts: Ctap1AuthenticateOptions & { checkOnly: true },
  ): Promise<U2fKeyHandleCheck>;
  authenticate(
    challengeParam: Uint8Array,
    appParam: Uint8Array,
    keyHandle: Uint8Array,
    opts?: Ctap1AuthenticateOptions & { checkOnly?: false },
  ): Promise<U2fAuthentication>;
  async authenticate(
    challengeParam: Uint8Array,
    appParam: Uint8Array,
    keyHandle: Uint8Array,
    opts: Ctap1AuthenticateOptions = {},
  ): Promise<U2fKeyHandleCheck | U2fAuthentication> {
    checkParam(challengeParam, 'challenge parameter');
    checkParam(appParam, 'application parameter');
    if (keyHandle.length === 0 || keyHandle.length > U2F_MAX_KEY_HANDLE_SIZE) {
      throw new ClientError(
        'bad-request',
        `A U2F key handle is 1 to ${U2F_MAX_KEY_HANDLE_SIZE} bytes, got ${keyHandle.length}.`,
      );
    }
    const data = concatBytes(challengeParam, appParam, Uint8Array.of(keyHandle.length), keyHandle);
    if (opts.checkOnly) {
      const { sw } = await this.send(this.command(U2fIns.AUTHENTICATE, U2fAuthenticateP1.CHECK_ONLY, data), opts);
      if (sw === USER_PRESENCE_REQUIRED) return { known: true };
      if (sw === StatusWord.WRONG_DATA) return { known: false };
      if (sw === StatusWord.OK)
        throw new ProtocolError('U2F check-only authenticate answered 9000; the spec allows only 6985 or 6A80');
      throw statusError(sw, 'check-only authenticate');
    }
    const request = this.command(U2fIns.AUTHENTICATE, U2fAuthenticateP1.ENFORCE_USER_PRESENCE_AND_SIGN, data);
    return parseAuthenticateResponse(await this.untilTouched(request, 'authenticate', opts));
  }

  private command(ins: number, p1: number, data: Uint8Array): Uint8Array {
    const apdu: CommandApdu = {
      cla: U2F_CLA,
      ins,
      p1,
      p2: 0x00,
      data,
      // Le "as much as you have" in the chosen form: a registration answer is far longer than 256 bytes.
      ne: this.apduForm === 'extended' ? EXTENDED_MAX_NE : SHORT_MAX_NE,
    };
    return encodeCommandApdu(apdu, this.apduForm);
  }

  private async send(apdu: Uint8Array, opts: CallOptions): Promise<ResponseApdu> {
    const answer = await this.device.call(CtapDeviceCmd.MSG, apdu, { signal: opts.signal, timeoutMs: opts.timeoutMs });
    return parseResponseApdu(answer);
  }

  /**
   * Sends `apdu` until the key stops answering 6985. U2F keys do not hold the request open while they wait for a
   * touch (no keepalives): the client has to ask again, and every ask is answered at once.
   */
  private async untilTouched(apdu: Uint8Array, what: string, opts: Ctap1CallOptions): Promise<Uint8Array> {
    const { signal } = opts;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    let prompted = false;
    while (true) {
      if (signal?.aborted) throw new TransportError('cancelled', `U2F ${what} was cancelled`, { cause: signal.reason });
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new TransportError('timeout', `the key was not touched within ${timeoutMs} ms (U2F ${what})`);
      const { data, sw } = await this.send(apdu, { signal, timeoutMs: remaining });
      if (sw === StatusWord.OK) return data;
      if (sw !== USER_PRESENCE_REQUIRED) throw statusError(sw, what);
      if (!prompted) {
        prompted = true;
        opts.onKeepalive?.(KeepaliveStatus.UPNEEDED);
      }
      await abortableDelay(Math.min(this.pollIntervalMs, Math.max(0, deadline - Date.now())), signal);
    }
  }
}

function checkParam(param: Uint8Array, what: string): void {
  if (param.length !== U2F_PARAM_SIZE) {
    throw new ClientError(
      'bad-request',
      `The U2F ${what} must be a ${U2F_PARAM_SIZE}-byte SHA-256 hash, got ${param.length} bytes.`,
    );
  }
}

/** A status word other than 9000 as TransportError('apdu') with the SW as detail, as the NFC layer reports them. */
function statusError(sw: number, what: string): TransportError {
  const name = STATUS_WORD_NAMES.get(sw);
  // Raw Message Formats "Error: Bad Key Handle": the one refusal worth spelling out.
  const meaning =
    sw === StatusWord.WRONG_DATA && what === 'authenticate' ? ': the key did not make this key handle' : '';
  return new TransportError(
    'apdu',
    `U2F ${what} answered ${formatStatusWord(sw)}${name ? ` (${name})` : ''}${meaning}, expected 9000`,
    { detail: sw },
  );
}
