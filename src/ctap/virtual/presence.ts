// User presence for the virtual key: the pluggable "touch" (and finger) and the wait for it, with cancel and timeout.

/**
 * What the user did: touched (true) or refused (false). On a key with a fingerprint sensor, `finger` names the finger
 * that touched (any name, e.g. 'right-index'): enrollment records it, user verification matches it against the
 * enrolled fingers, and a touch without a finger is one the sensor could not read.
 */
export type PresenceAnswer = boolean | { approve: boolean; finger?: string };

/**
 * Why the key waits: `presence` is a plain touch, `verify` a fingerprint match (built-in user verification),
 * `enroll` a fingerprint sample for enrollment.
 */
export type PresencePurpose = 'presence' | 'verify' | 'enroll';

export interface PresenceRequest {
  /** The CTAP2 command (or U2F 'u2fRegister' / 'u2fAuthenticate') asking for the touch. */
  command: 'makeCredential' | 'getAssertion' | 'reset' | 'selection' | string;
  purpose: PresencePurpose;
  rpId?: string;
  /** Aborted when the request is cancelled or times out: a UI prompt should close. */
  signal: AbortSignal;
}

/** Asks the (simulated) user to touch the key. A promise that never settles is a user who never touches. */
export type PresenceHandler = (req: PresenceRequest) => Promise<PresenceAnswer>;

export const approveAtOnce: PresenceHandler = () => Promise.resolve(true);

export type PresenceOutcome = 'approved' | 'denied' | 'cancelled' | 'timeout';

/** The outcome, and for an approval the finger the handler named. */
export interface PresenceResult {
  outcome: PresenceOutcome;
  finger?: string;
}

export interface PresenceWait {
  command: PresenceRequest['command'];
  purpose: PresencePurpose;
  rpId?: string;
  /** The request's cancel signal (CTAPHID_CANCEL, NFC cancel). */
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * Runs the handler and settles with what happened first: an answer, a cancel or the timeout.
 * Rejects only when the handler itself fails.
 */
export function awaitPresence(handler: PresenceHandler, wait: PresenceWait): Promise<PresenceResult> {
  if (wait.signal.aborted) return Promise.resolve({ outcome: 'cancelled' });
  const prompt = new AbortController();
  return new Promise<PresenceResult>((resolve, reject) => {
    let settled = false;
    const settle = (result: PresenceResult | { error: unknown }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      wait.signal.removeEventListener('abort', onCancel);
      if ('error' in result) {
        reject(result.error);
        return;
      }
      // The handler answered on its own; otherwise tell it the question is withdrawn.
      if (result.outcome === 'cancelled' || result.outcome === 'timeout') prompt.abort();
      resolve(result);
    };
    const onCancel = (): void => settle({ outcome: 'cancelled' });
    const timer = setTimeout(() => settle({ outcome: 'timeout' }), wait.timeoutMs);
    timer.unref?.();
    wait.signal.addEventListener('abort', onCancel, { once: true });
    const request: PresenceRequest = { command: wait.command, purpose: wait.purpose, signal: prompt.signal };
    if (wait.rpId !== undefined) request.rpId = wait.rpId;
    // Promise.resolve().then() so a handler that throws synchronously is caught like one that rejects.
    Promise.resolve()
      .then(() => handler(request))
      .then(
        (answer) => settle(toResult(answer)),
        (error: unknown) => settle({ error }),
      );
  });
}

function toResult(answer: PresenceAnswer): PresenceResult {
  if (typeof answer === 'boolean') return { outcome: answer ? 'approved' : 'denied' };
  if (answer.approve !== true) return { outcome: 'denied' };
  return answer.finger === undefined ? { outcome: 'approved' } : { outcome: 'approved', finger: answer.finger };
}
