// CTAP over NFC / ISO 7816: a CtapDevice over one SmartCardConnection with the FIDO applet selected (CTAP 2.2 section 11.3).

import { CtapError, TransportError } from '../errors.js';
import { CtapStatus } from '../ctapStatus.js';
import { SerialQueue } from '../serialQueue.js';
import { silentLogger, type CtapLogger } from '../logger.js';
import {
  CtapDeviceCmd,
  DEFAULT_CALL_TIMEOUT_MS,
  type CallOptions,
  type CtapDevice,
  type CtapDeviceCapabilities,
  type CtapDeviceOpening,
  type SmartCardConnection,
} from '../transport.js';
import { encodeResponseApdu, parseCommandApdu, type ApduForm } from '../iso7816/apdu.js';
import { parseAtr } from './atr.js';
import { ApduChannel, type ExchangeContext } from './ApduChannel.js';
import { AUTHENTICATOR_GET_INFO, FidoAppletVersion } from './constants.js';
import { EXTENDED_MAX_LC } from '../iso7816/constants.js';
import { selectFidoApplet } from './selectFidoApplet.js';
import { DEFAULT_POLL_INTERVAL_MS, sendNfcCtapMsg } from './sendNfcCtapMsg.js';

export interface CtapNfcDeviceOptions {
  /**
   * 'auto': extended APDUs when the card's ATR says it takes extended lengths, falling back to chained short APDUs for
   * good if the reader or the card then refuses one; short when the ATR says nothing or the connection has no atr().
   * true: always extended (reader and card are known to take them). false: always chained short APDUs. @default 'auto'
   */
  extendedApdu?: boolean | 'auto';
  /** Data bytes per chained short APDU, 1..255. @default 250 */
  chainChunkSize?: number;
  /** Pause between NFCCTAP_GETRESPONSE polls while the card answers 9100 (still working). @default 50 */
  pollIntervalMs?: number;
  /** Time allowed for the SELECT and, for a U2F_V2 card, the CTAP2 probe. @default 5000 */
  openTimeoutMs?: number;
  /** One debug line per APDU (header, lengths, status word; never data). @default silent */
  logger?: CtapLogger;
}

export class CtapNfcDevice implements CtapDevice {
  readonly transport = 'nfc' as const;
  /** The largest Lc of one extended APDU; chains of short APDUs could carry more, but keys' maxMsgSize is far below it. */
  readonly maxPayloadSize = EXTENDED_MAX_LC;
  private readonly queue = new SerialQueue();
  private closed = false;

  /**
   * CBOR: always for FIDO_2_0; for U2F_V2, learned from a getInfo probe. MSG (U2F): U2F_V2 is what keys speaking
   * CTAP1/U2F answer, FIDO_2_0 keys take no U2F APDUs. NFC has no wink and no lock.
   */
  readonly capabilities: CtapDeviceCapabilities;
  /** The SELECT answer and, for a U2F_V2 card that speaks CTAP2, its answer to the getInfo probe. */
  readonly opening: CtapDeviceOpening;

  private constructor(
    private readonly channel: ApduChannel,
    /** What the applet answered to SELECT. */
    readonly appletVersion: FidoAppletVersion,
    supportsCtap2: boolean,
    private readonly pollIntervalMs: number,
    probedGetInfo?: Uint8Array,
  ) {
    this.capabilities = {
      cbor: supportsCtap2,
      msg: appletVersion === FidoAppletVersion.U2F_V2,
      wink: false,
      lock: false,
    };
    this.opening = probedGetInfo === undefined ? { appletVersion } : { appletVersion, getInfoAnswer: probedGetInfo };
  }

  /**
   * Selects the FIDO applet. A card answering U2F_V2 may speak CTAP2 as well (section 11.3.3 makes keys with both say
   * U2F_V2), so it gets one authenticatorGetInfo to find out. Rejects with TransportError('no-applet') for cards
   * without the FIDO applet.
   */
  static async open(conn: SmartCardConnection, opts: CtapNfcDeviceOptions = {}): Promise<CtapNfcDevice> {
    const logger = opts.logger ?? silentLogger;
    const extendedApdu =
      opts.extendedApdu === undefined || opts.extendedApdu === 'auto'
        ? await extendedFromAtr(conn, logger)
        : opts.extendedApdu;
    const channel = new ApduChannel(conn, { ...opts, extendedApdu });
    const openTimeoutMs = opts.openTimeoutMs ?? 5_000;
    const deadline = Date.now() + openTimeoutMs;
    const ctx: ExchangeContext = { deadline: () => deadline, timeoutMs: openTimeoutMs };
    const pollIntervalMs = opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    const version = await selectFidoApplet(channel, ctx);
    if (version === FidoAppletVersion.FIDO_2_0) return new CtapNfcDevice(channel, version, true, pollIntervalMs);
    const info = await probeCtap2(channel, { timeoutMs: Math.max(1, deadline - Date.now()), pollIntervalMs });
    return new CtapNfcDevice(channel, version, info !== undefined, pollIntervalMs, info);
  }

  /** How commands travel now: one extended APDU each, or chains of short APDUs (where 'auto' fell back, short). */
  get apduForm(): ApduForm {
    return this.channel.form;
  }

  /**
   * CBOR: `payload` is the command byte + CBOR, sent as NFCCTAP_MSG; resolves with status byte + CBOR.
   * MSG: `payload` is a U2F APDU (short or extended encoding), re-framed for this channel; resolves with the
   * answer's data + SW1 SW2, exactly what CTAPHID_MSG returns, so Ctap1 reads status words the same on both transports.
   * Other commands (PING, WINK, LOCK) have no NFC form: CtapError(CTAP1_ERR_INVALID_COMMAND).
   */
  call(cmd: number, payload: Uint8Array, opts: CallOptions = {}): Promise<Uint8Array> {
    // One exchange at a time: APDUs of two requests must never interleave on the card.
    return this.queue.run(() => this.transact(cmd, payload, opts));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.channel.close();
  }

  private async transact(cmd: number, payload: Uint8Array, opts: CallOptions): Promise<Uint8Array> {
    if (this.closed) throw new TransportError('closed', 'the smart card connection is closed');
    if (opts.signal?.aborted)
      throw new TransportError('cancelled', 'cancelled before the request was sent', { cause: opts.signal.reason });
    if (payload.length > this.maxPayloadSize) {
      throw new TransportError(
        'too-large',
        `request of ${payload.length} bytes exceeds the NFC maximum of ${this.maxPayloadSize}`,
      );
    }
    switch (cmd) {
      case CtapDeviceCmd.CBOR:
        return sendNfcCtapMsg(this.channel, payload, { ...opts, pollIntervalMs: this.pollIntervalMs });
      case CtapDeviceCmd.MSG:
        return this.u2fMessage(payload, opts);
      default:
        throw new CtapError(CtapStatus.CTAP1_ERR_INVALID_COMMAND, `command 0x${cmd.toString(16)} has no NFC form`);
    }
  }

  /** U2F over NFC is plain ISO 7816: no 9100 and no cancel, the key answers 6985 at once when it wants a touch. */
  private async u2fMessage(apdu: Uint8Array, opts: CallOptions): Promise<Uint8Array> {
    const { form: _form, ...command } = parseCommandApdu(apdu);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const response = await this.channel.exchange(
      { ...command, ne: this.channel.maxNe },
      { deadline: () => deadline, timeoutMs, signal: opts.signal },
    );
    return encodeResponseApdu(response.data, response.sw);
  }
}

/**
 * 'try' (extended until refused) when the card's ATR states extended Lc/Le in its card capabilities, as YubiKey 5 NFC
 * does; otherwise short. An unreadable or malformed ATR is no reason to fail: it only costs the faster form.
 */
async function extendedFromAtr(conn: SmartCardConnection, logger: CtapLogger): Promise<'try' | false> {
  if (!conn.atr) return false;
  try {
    const atr = parseAtr(await conn.atr());
    return atr.capabilities?.extendedLengths ? 'try' : false;
  } catch (error) {
    logger.debug(
      `nfc: no extended APDUs, the ATR could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}

/**
 * authenticatorGetInfo answered with CTAP2_OK means CTAP2 (the answer is returned); a refused APDU (6D00 and the like)
 * or a CTAP error means U2F only (undefined).
 */
async function probeCtap2(
  channel: ApduChannel,
  opts: { timeoutMs: number; pollIntervalMs: number },
): Promise<Uint8Array | undefined> {
  try {
    const answer = await sendNfcCtapMsg(channel, Uint8Array.of(AUTHENTICATOR_GET_INFO), opts);
    return answer[0] === CtapStatus.CTAP2_OK ? answer : undefined;
  } catch (error) {
    if (error instanceof TransportError && error.code === 'apdu') return undefined;
    throw error;
  }
}
