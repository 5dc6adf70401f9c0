// "Touch the key you want": asks every connected key for a touch at once and returns the first one touched, cancelling the others.

import { CtapError } from '../errors.js';
import { Ctap2Cmd } from './constants.js';
import type { Ctap2 } from './Ctap2.js';
import { encodeMakeCredentialParams } from './makeCredential.js';
import { CtapStatus } from '../ctapStatus.js';

export interface SelectByTouchOptions {
  /** Cancels the whole selection. */
  signal?: AbortSignal;
  /** How long each key waits for a touch between keepalives. @default 30000 */
  timeoutMs?: number;
}

/** What a key needs to take part: its Ctap2 (getInfo already read). */
export type SelectionCandidate = Pick<Ctap2, 'info' | 'selection' | 'send'>;

// The zero-length pinUvAuthParam probe (CTAP 2.1 section 6.1.2 step 1): a CTAP 2.0 key waits for a touch, then answers
// with one of these instead of making a credential.
const PROBE_TOUCHED: ReadonlySet<number> = new Set([
  CtapStatus.CTAP2_ERR_PIN_NOT_SET,
  CtapStatus.CTAP2_ERR_PIN_INVALID,
  CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
]);

/** Waits for a touch on one key: CTAP 2.1 authenticatorSelection, or the probe for older keys. */
async function waitForTouch(
  key: SelectionCandidate,
  signal: AbortSignal,
  timeoutMs: number | undefined,
): Promise<void> {
  const opts = timeoutMs === undefined ? { signal } : { signal, timeoutMs };
  if (key.info.versions.includes('FIDO_2_1')) {
    await key.selection(opts);
    return;
  }
  try {
    // Sent as raw parameters: an empty pinUvAuthParam comes from no token, so Ctap2.makeCredential cannot say it.
    const probe = encodeMakeCredentialParams({
      clientDataHash: new Uint8Array(32),
      rp: { id: '.dummy' },
      user: { id: Uint8Array.of(1), name: 'dummy' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      pinUvAuthParam: new Uint8Array(0),
      pinUvAuthProtocol: 1,
    });
    await key.send(Ctap2Cmd.MAKE_CREDENTIAL, probe, opts);
  } catch (error) {
    if (error instanceof CtapError && PROBE_TOUCHED.has(error.status)) return;
    throw error;
  }
}

/**
 * Resolves with the index of the first key the user touches. The others are cancelled (CTAPHID CANCEL / NFC cancel),
 * so none is left waiting. Rejects with the first key's error when every key failed (all denied, timed out or removed).
 */
export async function selectByTouch(
  keys: readonly SelectionCandidate[],
  opts: SelectByTouchOptions = {},
): Promise<number> {
  if (keys.length === 0) throw new RangeError('selectByTouch needs at least one key');
  const controllers = keys.map(() => new AbortController());
  const cancelAll = (): void => controllers.forEach((c) => c.abort());
  opts.signal?.addEventListener('abort', cancelAll, { once: true });
  try {
    const waits = keys.map((key, i) => waitForTouch(key, controllers[i]!.signal, opts.timeoutMs).then(() => i));
    const winner = await Promise.any(waits).catch((aggregate: AggregateError) => {
      throw aggregate.errors[0];
    });
    controllers.forEach((c, i) => i !== winner && c.abort());
    // Let the losers finish cancelling, so their next request does not meet CHANNEL_BUSY.
    await Promise.allSettled(waits);
    return winner;
  } finally {
    opts.signal?.removeEventListener('abort', cancelAll);
  }
}
