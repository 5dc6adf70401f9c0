// One command/response exchange over a SmartCardConnection: short-APDU chaining or one extended APDU, then GET RESPONSE while the card answers 61xx.

import { concatBytes, toHex } from '../bytes.js';
import { TransportError } from '../errors.js';
import { silentLogger, type CtapLogger } from '../logger.js';
import type { SmartCardConnection } from '../transport.js';
import {
  chainCommand,
  encodeCommandApdu,
  formatStatusWord,
  parseResponseApdu,
  type ApduForm,
  type CommandApdu,
  type ResponseApdu,
} from '../iso7816/apdu.js';
import { DEFAULT_CHAIN_CHUNK } from './constants.js';
import { EXTENDED_MAX_NE, Iso7816Ins, SHORT_MAX_NE, StatusWord, SW1_MORE_DATA } from '../iso7816/constants.js';

export interface ApduChannelOptions {
  /**
   * false: chains of short APDUs. true: one extended APDU per command (reader and card are known to take them).
   * 'try': extended until the first extended exchange is refused, by the reader (the transmit fails) or by the card
   * (a status word other than 9000, 9100 or 61xx), then short for good, that command resent as short APDUs. @default false
   */
  extendedApdu?: boolean | 'try';
  /** Data bytes per chained short APDU, 1..255. @default 250 */
  chainChunkSize?: number;
  /** Receives one line per APDU (header, lengths, status word; never the data, which can hold PIN material). @default silent */
  logger?: CtapLogger;
}

export interface ExchangeContext {
  /** When (Date.now() time) the card must have answered; read before every APDU, so a caller can move it. */
  deadline: () => number;
  /** The wait the deadline stands for, for the timeout message. */
  timeoutMs: number;
  /** Checked before every APDU: once aborted, the exchange stops with TransportError('cancelled') and sends nothing more. */
  signal?: AbortSignal | undefined;
}

export class ApduChannel {
  private currentForm: ApduForm;
  /** 'try' mode before an extended exchange has gone through: the next refusal sends the channel back to short APDUs. */
  private extendedUnproven: boolean;
  private readonly chunkSize: number;
  private readonly logger: CtapLogger;

  constructor(
    private readonly conn: SmartCardConnection,
    opts: ApduChannelOptions = {},
  ) {
    this.currentForm = opts.extendedApdu ? 'extended' : 'short';
    this.extendedUnproven = opts.extendedApdu === 'try';
    this.chunkSize = opts.chainChunkSize ?? DEFAULT_CHAIN_CHUNK;
    this.logger = opts.logger ?? silentLogger;
    // Fail at construction, not at the first long message.
    chainCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(0), ne: 0 }, this.chunkSize);
  }

  /** How commands are encoded now: chains of short APDUs, or single extended APDUs. */
  get form(): ApduForm {
    return this.currentForm;
  }

  /** Ne meaning "everything you have" in this channel's form. */
  get maxNe(): number {
    return this.form === 'extended' ? EXTENDED_MAX_NE : SHORT_MAX_NE;
  }

  /**
   * Sends one command and returns the card's whole answer. A chain the card refuses part-way ends early with that
   * refusal. `form` overrides the channel's encoding (SELECT always goes short).
   */
  async exchange(cmd: CommandApdu, ctx: ExchangeContext, form: ApduForm = this.currentForm): Promise<ResponseApdu> {
    if (form === 'extended' && this.extendedUnproven) return this.tryExtended(cmd, ctx);
    return this.send(cmd, ctx, form);
  }

  /**
   * The first extended exchange of a 'try' channel. The card's ATR may promise extended lengths that the reader cannot
   * carry (many PC/SC readers only pass short APDUs and fail the transmit) or that the card does not keep (6700): both
   * refuse the command before running it, so it is resent as short APDUs and the channel stays short.
   */
  private async tryExtended(cmd: CommandApdu, ctx: ExchangeContext): Promise<ResponseApdu> {
    let response: ResponseApdu;
    try {
      response = await this.send(cmd, ctx, 'extended');
    } catch (error) {
      if (!(error instanceof TransportError) || (error.code !== 'io' && error.code !== 'closed')) throw error;
      this.fallBackToShort(`the transmit failed (${error.message})`);
      return this.send(cmd, ctx, 'short');
    }
    if (
      response.sw === StatusWord.OK ||
      response.sw === StatusWord.STATUS_UPDATE ||
      response.sw >> 8 === SW1_MORE_DATA
    ) {
      this.extendedUnproven = false;
      return response;
    }
    this.fallBackToShort(`the card answered ${formatStatusWord(response.sw)}`);
    return this.send(cmd, ctx, 'short');
  }

  private fallBackToShort(why: string): void {
    this.currentForm = 'short';
    this.extendedUnproven = false;
    this.logger.debug(`nfc: extended APDU refused (${why}); short APDUs from now on`);
  }

  private async send(cmd: CommandApdu, ctx: ExchangeContext, form: ApduForm): Promise<ResponseApdu> {
    // Ne is "everything" in the form the command was built for; short APDUs carry at most 256.
    if (form === 'short' && cmd.ne > SHORT_MAX_NE) cmd = { ...cmd, ne: SHORT_MAX_NE };
    const parts = form === 'extended' ? [cmd] : chainCommand(cmd, this.chunkSize);
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) {
      const response = await this.transmit(encodeCommandApdu(parts[i]!, form), ctx);
      if (response.sw !== StatusWord.OK) return response;
    }
    return this.collectRemainder(await this.transmit(encodeCommandApdu(parts[last]!, form), ctx), ctx);
  }

  /** Sends one already-encoded APDU, bounded by the context's deadline. */
  async transmit(apdu: Uint8Array, ctx: ExchangeContext): Promise<ResponseApdu> {
    if (ctx.signal?.aborted)
      throw new TransportError('cancelled', 'the request was cancelled', { cause: ctx.signal.reason });
    const remaining = ctx.deadline() - Date.now();
    if (remaining <= 0) throw timeoutError(ctx);
    this.logger.debug(`nfc > ${toHex(apdu.subarray(0, 4))} (${apdu.length} bytes)`);
    const raw = await withDeadline(this.conn.transmit(apdu), remaining, ctx);
    const response = parseResponseApdu(raw);
    this.logger.debug(`nfc < ${formatStatusWord(response.sw)} (${response.data.length} data bytes)`);
    return response;
  }

  close(): Promise<void> {
    return this.conn.close();
  }

  /** ISO/IEC 7816-4: 61xx says xx more bytes wait (00: 256 or more); fetch them with GET RESPONSE until another status. */
  private async collectRemainder(first: ResponseApdu, ctx: ExchangeContext): Promise<ResponseApdu> {
    let response = first;
    const chunks = [first.data];
    while (response.sw >> 8 === SW1_MORE_DATA) {
      const available = response.sw & 0xff;
      const getResponse: CommandApdu = {
        cla: 0x00,
        ins: Iso7816Ins.GET_RESPONSE,
        p1: 0x00,
        p2: 0x00,
        data: new Uint8Array(0),
        ne: available === 0 ? SHORT_MAX_NE : available,
      };
      response = await this.transmit(encodeCommandApdu(getResponse, 'short'), ctx);
      chunks.push(response.data);
    }
    return chunks.length === 1 ? response : { data: concatBytes(...chunks), sw: response.sw };
  }
}

function timeoutError(ctx: ExchangeContext): TransportError {
  return new TransportError('timeout', `no answer from the card within ${ctx.timeoutMs} ms`);
}

/**
 * PC/SC cannot abandon a transmit once started, so a late answer is dropped here rather than awaited; the
 * connection itself keeps APDUs in order.
 */
async function withDeadline(transmit: Promise<Uint8Array>, ms: number, ctx: ExchangeContext): Promise<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(ctx)), ms);
  });
  try {
    return await Promise.race([transmit, expired]);
  } catch (error) {
    if (error instanceof TransportError) throw error;
    throw new TransportError(
      'io',
      `the card connection failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    transmit.catch(() => undefined);
  }
}
