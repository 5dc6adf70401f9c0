// One create() or get() in progress: its cancel signal (caller's signal or timeout), the UI with guarded callbacks, and the final error mapping.

import { ClientError, toClientError } from '../errors.js';
import { KeepaliveStatus } from '../transport.js';
import type { CtapLogger } from '../logger.js';
import type { TouchPurpose, WebAuthnUi } from './types.js';

export interface CeremonyOptions {
  ui: WebAuthnUi;
  logger: CtapLogger;
  rpId: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

export class Ceremony {
  readonly ui: WebAuthnUi;
  readonly rpId: string;
  readonly timeoutMs: number;
  /** Aborted by the caller's signal or by the timeout; every request to a key carries it. */
  readonly signal: AbortSignal;
  /** The name of the key in use, once one is chosen. */
  device: string | undefined;
  /** Warnings only: never PINs, tokens or hmac outputs. */
  readonly logger: CtapLogger;
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #deadline: number;
  #timedOut = false;

  constructor(opts: CeremonyOptions) {
    this.ui = opts.ui;
    this.rpId = opts.rpId;
    this.timeoutMs = opts.timeoutMs;
    this.logger = opts.logger;
    this.signal = this.#controller.signal;
    this.#callerSignal = opts.signal;
    this.#deadline = Date.now() + opts.timeoutMs;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort();
    }, opts.timeoutMs);
    if (opts.signal?.aborted) this.#controller.abort();
    else opts.signal?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  readonly #onCallerAbort = (): void => this.#controller.abort();

  /** Milliseconds left before the timeout (at least 1). */
  get remainingMs(): number {
    return Math.max(1, this.#deadline - Date.now());
  }

  /** Throws the cancellation (or timeout) at once if the ceremony is over, so no new request starts. */
  throwIfAborted(): void {
    if (this.signal.aborted) throw this.#abortError();
  }

  /** Resolves with `promise`, or rejects as soon as the ceremony is cancelled or times out (a UI that never answers). */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(this.#abortError());
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.#abortError());
      this.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * A keepalive handler for one request: tells the UI once, on the first "user presence needed", that the key waits.
   * U2F polling reports the same status when the key first answers "touch needed".
   */
  touchPrompt(purpose: TouchPurpose): (status: number) => void {
    let told = false;
    return (status) => {
      if (told || status !== KeepaliveStatus.UPNEEDED) return;
      told = true;
      this.notify(() => this.ui.onTouch?.(this.device === undefined ? { purpose } : { purpose, device: this.device }));
    };
  }

  /** Runs a UI notification; one that throws is logged and otherwise ignored, so it cannot break a key's framing. */
  notify(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.logger.warn(`A WebAuthn UI callback threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The one ClientError this ceremony ends with: a timeout or cancel wins over what the key said about it. */
  toClientError(error: unknown): ClientError {
    if (this.signal.aborted) return this.#abortError(error);
    return toClientError(error);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  #abortError(cause?: unknown): ClientError {
    const options = cause === undefined ? undefined : { cause };
    return this.#timedOut
      ? new ClientError('timeout', `The operation timed out after ${this.timeoutMs} ms.`, options)
      : new ClientError('cancelled', 'The operation was cancelled.', options);
  }
}
