// User presence for the virtual key: the pluggable "touch" and the wait for it, with cancel and timeout.

/** What the user did: touched (true) or refused (false). `finger` names the enrolled finger for biometric profiles. */
export type PresenceAnswer = boolean | { approve: boolean; finger?: string };

export interface PresenceRequest {
  /** The CTAP2 command asking for the touch. */
  command: 'makeCredential' | 'getAssertion' | 'reset' | 'selection' | string;
  rpId?: string;
  /** Aborted when the request is cancelled or times out: a UI prompt should close. */
  signal: AbortSignal;
}

/** Asks the (simulated) user to touch the key. A promise that never settles is a user who never touches. */
export type PresenceHandler = (req: PresenceRequest) => Promise<PresenceAnswer>;

export const approveAtOnce: PresenceHandler = () => Promise.resolve(true);

export type PresenceOutcome = 'approved' | 'denied' | 'cancelled' | 'timeout';

export interface PresenceWait {
  command: PresenceRequest['command'];
  rpId?: string;
  /** The request's cancel signal (CTAPHID_CANCEL, NFC cancel). */
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * Runs the handler and settles with what happened first: an answer, a cancel or the timeout.
 * Rejects only when the handler itself fails.
 */
export function awaitPresence(handler: PresenceHandler, wait: PresenceWait): Promise<PresenceOutcome> {
  if (wait.signal.aborted) return Promise.resolve('cancelled');
  const prompt = new AbortController();
  return new Promise<PresenceOutcome>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: PresenceOutcome | { error: unknown }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      wait.signal.removeEventListener('abort', onCancel);
      if (typeof outcome === 'object') {
        reject(outcome.error);
        return;
      }
      // The handler answered on its own; otherwise tell it the question is withdrawn.
      if (outcome === 'cancelled' || outcome === 'timeout') prompt.abort();
      resolve(outcome);
    };
    const onCancel = (): void => settle('cancelled');
    const timer = setTimeout(() => settle('timeout'), wait.timeoutMs);
    timer.unref?.();
    wait.signal.addEventListener('abort', onCancel, { once: true });
    const request: PresenceRequest = { command: wait.command, signal: prompt.signal };
    if (wait.rpId !== undefined) request.rpId = wait.rpId;
    // Promise.resolve().then() so a handler that throws synchronously is caught like one that rejects.
    Promise.resolve()
      .then(() => handler(request))
      .then(
        (answer) => settle(isApproval(answer) ? 'approved' : 'denied'),
        (error: unknown) => settle({ error }),
      );
  });
}

function isApproval(answer: PresenceAnswer): boolean {
  return typeof answer === 'boolean' ? answer : answer.approve === true;
}
