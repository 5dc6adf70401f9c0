// The card side of CTAP over NFC: a FIDO applet answering ISO 7816 APDUs for a virtual authenticator (CTAP 2.2 section 11.3).

import { concatBytes, equalBytes } from '../../bytes.js';
import { SerialQueue } from '../../serialQueue.js';
import { CtapStatus } from '../../ctapStatus.js';
import { KeepaliveStatus } from '../../transport.js';
import { encodeResponseApdu, parseCommandApdu, type ParsedCommandApdu } from '../../iso7816/apdu.js';
import { FIDO_AID, FidoAppletVersion, NFCCTAP_CLA, NfcCtapIns, NfcCtapP1 } from '../../nfc/constants.js';
import {
  CLA_CHAINING,
  EXTENDED_MAX_NE,
  Iso7816Ins,
  SELECT_BY_NAME,
  SHORT_MAX_NE,
  StatusWord,
  SW1_MORE_DATA,
} from '../../iso7816/constants.js';
import type { Ctap2Processor } from './Ctap2Processor.js';
import { virtualCardAtr } from './virtualCardAtr.js';

/**
 * - `fido2`: SELECT answers FIDO_2_0 (a CTAP2-only key).
 * - `fido2-u2f`: SELECT answers U2F_V2 and NFCCTAP_MSG works too, as on keys that speak both (section 11.3.3).
 * - `u2f-only`: SELECT answers U2F_V2 and NFCCTAP_MSG is refused with 6D00, like an old U2F key.
 */
export type VirtualNfcProfile = 'fido2' | 'fido2-u2f' | 'u2f-only';

export interface VirtualNfcCardOptions {
  /** @default 'fido2' */
  profile?: VirtualNfcProfile;
  /**
   * How long a CTAP request may run before the card answers 9100 instead (only when the client set P1 0x80, i.e. it
   * polls), and how long each poll waits for the answer before saying 9100 again. @default 100
   */
  statusUpdateAfterMs?: number;
  /** Take extended APDUs; without, they are refused with 6700 as a short-only card would. @default true */
  extendedApdu?: boolean;
  /** After a cancel, how long the request gets to wind down before the card answers KEEPALIVE_CANCEL itself. @default 1000 */
  cancelGraceMs?: number;
}

interface PendingRequest {
  readonly controller: AbortController;
  /** Last keepalive status the authenticator reported, repeated in 9100 answers. */
  status: number;
  settled: boolean;
  result?: Uint8Array;
  failed: boolean;
  readonly done: Promise<void>;
}

interface Chain {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly parts: Uint8Array[];
}

export class VirtualNfcCard {
  readonly profile: VirtualNfcProfile;
  /** What a reader reports for this card: a contactless ATR stating whether it takes extended APDUs. */
  readonly atr: Uint8Array;
  private readonly statusUpdateAfterMs: number;
  private readonly extendedApdu: boolean;
  private readonly cancelGraceMs: number;
  private selected = false;
  private chain: Chain | undefined;
  /** What GET RESPONSE still has to hand out after a 61xx. */
  private remainder: { data: Uint8Array; sw: number } | undefined;
  private pending: PendingRequest | undefined;
  private readonly queue = new SerialQueue();

  constructor(
    private readonly authenticator: Ctap2Processor,
    opts: VirtualNfcCardOptions = {},
  ) {
    this.profile = opts.profile ?? 'fido2';
    this.statusUpdateAfterMs = opts.statusUpdateAfterMs ?? 100;
    this.extendedApdu = opts.extendedApdu ?? true;
    this.atr = virtualCardAtr({ extendedApdu: this.extendedApdu });
    this.cancelGraceMs = opts.cancelGraceMs ?? 1_000;
  }

  /** Answers one command APDU with data + SW1 SW2. Commands are handled one at a time, in arrival order. */
  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    return this.queue.run(() => this.handle(apdu));
  }

  /** Field lost, power off or reset: forget the selection and any half-done exchange, and abort a running request. */
  reset(): void {
    this.selected = false;
    this.chain = undefined;
    this.remainder = undefined;
    this.dropPending();
  }

  private async handle(bytes: Uint8Array): Promise<Uint8Array> {
    let apdu: ParsedCommandApdu;
    try {
      apdu = parseCommandApdu(bytes);
    } catch {
      return sw(StatusWord.WRONG_LENGTH);
    }
    if (apdu.form === 'extended' && !this.extendedApdu) return sw(StatusWord.WRONG_LENGTH);
    const cla = apdu.cla & ~CLA_CHAINING;
    if (cla !== 0x00 && cla !== NFCCTAP_CLA) return sw(StatusWord.CLA_NOT_SUPPORTED);
    // Any command but GET RESPONSE ends a pending 61xx hand-out (ISO/IEC 7816-4).
    if (apdu.ins !== Iso7816Ins.GET_RESPONSE) this.remainder = undefined;

    if (apdu.cla & CLA_CHAINING) {
      const chain = this.chain;
      if (chain && chain.cla === cla && chain.ins === apdu.ins && chain.p1 === apdu.p1 && chain.p2 === apdu.p2)
        chain.parts.push(apdu.data);
      else this.chain = { cla, ins: apdu.ins, p1: apdu.p1, p2: apdu.p2, parts: [apdu.data] };
      return sw(StatusWord.OK);
    }
    let data = apdu.data;
    if (this.chain) {
      const chain = this.chain;
      this.chain = undefined;
      // The last command of a chain carries the header; a different command abandons the chain.
      if (chain.cla === cla && chain.ins === apdu.ins) data = concatBytes(...chain.parts, data);
    }
    const limit = apdu.ne > 0 ? apdu.ne : apdu.form === 'extended' ? EXTENDED_MAX_NE : SHORT_MAX_NE;

    if (cla === 0x00 && apdu.ins === Iso7816Ins.SELECT) return this.select(apdu.p1, data, limit);
    if (cla === 0x00 && apdu.ins === Iso7816Ins.GET_RESPONSE) return this.getResponse(limit);
    if (!this.selected) return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
    if (cla === NFCCTAP_CLA && apdu.ins === NfcCtapIns.MSG) return this.nfcCtapMsg(apdu.p1, data, limit);
    if (cla === NFCCTAP_CLA && apdu.ins === NfcCtapIns.GET_RESPONSE) return this.nfcCtapGetResponse(apdu.p1, limit);
    return sw(StatusWord.INS_NOT_SUPPORTED);
  }

  private select(p1: number, aid: Uint8Array, limit: number): Uint8Array {
    if (p1 !== SELECT_BY_NAME) return sw(StatusWord.INCORRECT_P1P2);
    if (!equalBytes(aid, FIDO_AID)) {
      this.reset();
      return sw(StatusWord.FILE_NOT_FOUND);
    }
    this.reset();
    this.selected = true;
    const version = this.profile === 'fido2' ? FidoAppletVersion.FIDO_2_0 : FidoAppletVersion.U2F_V2;
    return this.respond(new TextEncoder().encode(version), StatusWord.OK, limit);
  }

  private getResponse(limit: number): Uint8Array {
    const remainder = this.remainder;
    if (!remainder) return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
    this.remainder = undefined;
    return this.respond(remainder.data, remainder.sw, limit);
  }

  private async nfcCtapMsg(p1: number, request: Uint8Array, limit: number): Promise<Uint8Array> {
    if (this.profile === 'u2f-only') return sw(StatusWord.INS_NOT_SUPPORTED);
    if (request.length === 0)
      return this.respond(Uint8Array.of(CtapStatus.CTAP1_ERR_INVALID_LENGTH), StatusWord.OK, limit);
    // A new request means the client gave up on the old one.
    this.dropPending();
    const pending = this.start(request);
    this.pending = pending;
    if ((p1 & NfcCtapP1.SUPPORTS_GET_RESPONSE) === 0) {
      // The client cannot poll (libfido2 sends P1 00): hold the answer until the authenticator is done.
      await pending.done;
      return this.deliver(pending, limit);
    }
    return this.answerOrStatusUpdate(pending, this.statusUpdateAfterMs, limit);
  }

  private async nfcCtapGetResponse(p1: number, limit: number): Promise<Uint8Array> {
    const pending = this.pending;
    if (!pending) return sw(StatusWord.CONDITIONS_NOT_SATISFIED);
    if (p1 === NfcCtapP1.CANCEL) {
      pending.controller.abort(new Error('cancelled by the client (NFCCTAP_GETRESPONSE P1 0x11)'));
      await settledWithin(pending, this.cancelGraceMs);
      // An authenticator that rejects on abort, rather than answering KEEPALIVE_CANCEL, still ends as cancelled.
      if (pending.settled && !pending.failed) return this.deliver(pending, limit);
      this.pending = undefined;
      return this.respond(Uint8Array.of(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL), StatusWord.OK, limit);
    }
    return this.answerOrStatusUpdate(pending, this.statusUpdateAfterMs, limit);
  }

  private async answerOrStatusUpdate(pending: PendingRequest, waitMs: number, limit: number): Promise<Uint8Array> {
    await settledWithin(pending, waitMs);
    if (pending.settled) return this.deliver(pending, limit);
    // Section 11.3: 9100 with the keepalive status as data; the client polls with NFCCTAP_GETRESPONSE.
    return encodeResponseApdu(Uint8Array.of(pending.status), StatusWord.STATUS_UPDATE);
  }

  private start(request: Uint8Array): PendingRequest {
    let markDone!: () => void;
    const pending: PendingRequest = {
      controller: new AbortController(),
      status: KeepaliveStatus.PROCESSING,
      settled: false,
      failed: false,
      done: new Promise<void>((resolve) => (markDone = resolve)),
    };
    const opts = { signal: pending.controller.signal, onKeepalive: (status: number) => (pending.status = status) };
    Promise.resolve()
      .then(() => this.authenticator.processCtap2(request, opts))
      .then(
        (result) => (pending.result = result),
        () => (pending.failed = true),
      )
      .finally(() => {
        pending.settled = true;
        markDone();
      });
    return pending;
  }

  private deliver(pending: PendingRequest, limit: number): Uint8Array {
    if (this.pending === pending) this.pending = undefined;
    if (pending.failed || !pending.result) return sw(StatusWord.NO_PRECISE_DIAGNOSIS);
    return this.respond(pending.result, StatusWord.OK, limit);
  }

  private dropPending(): void {
    this.pending?.controller.abort(new Error('the card was reset or the client moved on'));
    this.pending = undefined;
  }

  /** Sends at most `limit` bytes; the rest waits for GET RESPONSE behind 61xx (xx = bytes left, 00 for 256 or more). */
  private respond(data: Uint8Array, status: number, limit: number): Uint8Array {
    if (data.length <= limit) return encodeResponseApdu(data, status);
    const rest = data.slice(limit);
    this.remainder = { data: rest, sw: status };
    return encodeResponseApdu(
      data.subarray(0, limit),
      (SW1_MORE_DATA << 8) | (rest.length >= SHORT_MAX_NE ? 0 : rest.length),
    );
  }
}

function sw(status: number): Uint8Array {
  return encodeResponseApdu(new Uint8Array(0), status);
}

function settledWithin(pending: PendingRequest, ms: number): Promise<void> {
  if (pending.settled) return Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([pending.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
