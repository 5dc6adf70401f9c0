// A stand-in for VirtualAuthenticator.processCtap2: a getInfo answer, an echo for everything else, and adjustable slowness.

import { encodeCbor, type CborInput } from '../../../../src/ctap/cbor/encode.js';
import { Ctap2Cmd } from '../../../../src/ctap/ctap2/constants.js';
import { CtapStatus } from '../../../../src/ctap/ctapStatus.js';
import { KeepaliveStatus } from '../../../../src/ctap/transport.js';
import type { Ctap2ProcessOptions, Ctap2Processor } from '../../../../src/ctap/virtual/nfc/Ctap2Processor.js';

export interface FakeAuthenticatorOptions {
  /** How many extension names to list in getInfo, to make its answer as long as a test needs. @default 1 */
  extensions?: number;
  /** How long each request but getInfo takes (getInfo needs no touch, so it answers at once). @default 0 */
  delayMs?: number;
  /** When (ms into a request other than getInfo) to report "user presence needed", as a key waiting for a touch does. */
  upNeededAfterMs?: number;
}

export const FAKE_AAGUID = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

export class FakeAuthenticator implements Ctap2Processor {
  /** Every request received, in order. */
  readonly requests: Uint8Array[] = [];
  /** How many requests ended through their abort signal. */
  cancelled = 0;

  constructor(private readonly opts: FakeAuthenticatorOptions = {}) {}

  /** The answer getInfo gets: status byte + canonical CBOR. */
  getInfoAnswer(): Uint8Array {
    const extensions = Array.from({ length: this.opts.extensions ?? 1 }, (_, i) => `ext-${String(i).padStart(4, '0')}`);
    const body = encodeCbor(
      new Map<number, CborInput>([
        [1, ['FIDO_2_0', 'FIDO_2_1']],
        [2, extensions],
        [3, FAKE_AAGUID],
        [4, { rk: true, up: true }],
        [5, 4096],
        [9, ['nfc']],
      ]),
    );
    return Uint8Array.of(CtapStatus.CTAP2_OK, ...body);
  }

  async processCtap2(request: Uint8Array, { signal, onKeepalive }: Ctap2ProcessOptions): Promise<Uint8Array> {
    this.requests.push(request.slice());
    if (request[0] === Ctap2Cmd.GET_INFO) return this.getInfoAnswer();
    const { delayMs = 0, upNeededAfterMs } = this.opts;
    const upTimer =
      upNeededAfterMs === undefined
        ? undefined
        : setTimeout(() => onKeepalive(KeepaliveStatus.UPNEEDED), upNeededAfterMs);
    try {
      if (!(await wait(delayMs, signal))) {
        this.cancelled++;
        return Uint8Array.of(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
      }
    } finally {
      clearTimeout(upTimer);
    }
    return Uint8Array.of(CtapStatus.CTAP2_OK, ...request.subarray(1));
  }
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      resolve(false);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
