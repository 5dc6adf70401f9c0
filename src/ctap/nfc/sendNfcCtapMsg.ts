// One CTAP2 request over NFC: NFCCTAP_MSG, then NFCCTAP_GETRESPONSE polls while the card answers 9100, cancel on abort (CTAP 2.2 section 11.3).

import { TransportError } from '../errors.js';
import { KeepaliveStatus } from '../transport.js';
import { DEFAULT_CALL_TIMEOUT_MS, type CallOptions } from '../transport.js';
import type { CommandApdu } from '../iso7816/apdu.js';
import { encodeCommandApdu, formatStatusWord } from '../iso7816/apdu.js';
import type { ApduChannel, ExchangeContext } from './ApduChannel.js';
import { NFCCTAP_CLA, NfcCtapIns, NfcCtapP1 } from './constants.js';
import { StatusWord } from '../iso7816/constants.js';
import { abortableDelay } from '../delay.js';

export interface NfcCtapMsgOptions extends CallOptions {
  /** Pause between NFCCTAP_GETRESPONSE polls while the card answers 9100. @default 50 */
  pollIntervalMs?: number;
}

/** How long the card gets to acknowledge a cancel before we stop waiting for it. */
const CANCEL_GRACE_MS = 1_000;

export const DEFAULT_POLL_INTERVAL_MS = 50;

/**
 * Sends `request` (command byte + CBOR) and resolves with the card's answer (status byte + CBOR). Each 9100 is a sign of
 * life: it re-arms the timeout and reports its status byte through `onKeepalive` when it changes, like a CTAPHID
 * KEEPALIVE. Aborting sends NFCCTAP_GETRESPONSE with P1 0x11 if the card is still working, then rejects with
 * TransportError('cancelled'). A status word other than 9000 rejects with TransportError('apdu', detail = SW).
 */
export async function sendNfcCtapMsg(
  channel: ApduChannel,
  request: Uint8Array,
  opts: NfcCtapMsgOptions = {},
): Promise<Uint8Array> {
  const { signal, onKeepalive } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const pollIntervalMs = opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let deadline = Date.now() + timeoutMs;
  const ctx: ExchangeContext = { deadline: () => deadline, timeoutMs, signal };

  // P1 0x80 tells the card we poll, so it may answer 9100 instead of holding the field until it is done.
  let response = await channel.exchange(
    nfcCtapCommand(NfcCtapIns.MSG, NfcCtapP1.SUPPORTS_GET_RESPONSE, request, channel.maxNe),
    ctx,
  );
  let lastStatus = -1;
  while (response.sw === StatusWord.STATUS_UPDATE) {
    if (!signal?.aborted) {
      deadline = Date.now() + timeoutMs;
      // Section 11.3: the 9100 data is the keepalive status; a card that sends none is taken to be processing.
      const status = response.data[0] ?? KeepaliveStatus.PROCESSING;
      if (status !== lastStatus) {
        lastStatus = status;
        onKeepalive?.(status);
      }
      await abortableDelay(pollIntervalMs, signal);
    }
    if (signal?.aborted) {
      await cancel(channel);
      throw cancelledError(signal);
    }
    response = await channel.exchange(
      nfcCtapCommand(NfcCtapIns.GET_RESPONSE, 0x00, new Uint8Array(0), channel.maxNe),
      ctx,
    );
  }
  // The answer came, but the caller has already given up on it.
  if (signal?.aborted) throw cancelledError(signal);
  if (response.sw !== StatusWord.OK) {
    throw new TransportError(
      'apdu',
      `the card answered the CTAP request with ${formatStatusWord(response.sw)}, expected 9000`,
      {
        detail: response.sw,
      },
    );
  }
  return response.data;
}

function nfcCtapCommand(ins: number, p1: number, data: Uint8Array, ne: number): CommandApdu {
  return { cla: NFCCTAP_CLA, ins, p1, p2: 0x00, data, ne };
}

/** NFCCTAP_GETRESPONSE with P1 0x11. Best effort: whatever the card answers, or if it is gone, the call ends as cancelled. */
async function cancel(channel: ApduChannel): Promise<void> {
  const deadline = Date.now() + CANCEL_GRACE_MS;
  const apdu = encodeCommandApdu(
    nfcCtapCommand(NfcCtapIns.GET_RESPONSE, NfcCtapP1.CANCEL, new Uint8Array(0), channel.maxNe),
    channel.form,
  );
  await channel.transmit(apdu, { deadline: () => deadline, timeoutMs: CANCEL_GRACE_MS }).catch(() => undefined);
}

function cancelledError(signal: AbortSignal): TransportError {
  return new TransportError('cancelled', 'the request was cancelled', { cause: signal.reason });
}
