// Growing waits between failed password (or recovery code) attempts: 0, 0, 0, 1 s, 2 s, 4 s ... capped; reported, never slept.

import type { ThrottleState } from '../accounts/userRecord.js';

export interface ThrottlePolicy {
  /** Failures allowed before any wait: typos should cost nothing. @default 3 */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. @default 1000 */
  firstDelayMs: number;
  /** The longest wait. @default 900000 (15 minutes) */
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE_POLICY: Readonly<ThrottlePolicy> = {
  freeFailures: 3,
  firstDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
};

/** How long after the last of `failures` consecutive failures the next attempt is looked at. */
export function throttleDelayMs(failures: number, policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = failures - policy.freeFailures;
  // 2^doublings overflows to Infinity long after the cap, so Math.min still gives the cap.
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** doublings);
}

/**
 * Milliseconds still to wait before the next attempt, 0 when it may go ahead, never more than the policy's longest wait.
 * A last failure in the future (the clock was moved back since, or the file was edited) counts as now, so the wait is
 * the policy's, not years; checkSecretAttempt also moves such a timestamp back to now, so the wait then runs out.
 */
export function remainingWaitMs(
  state: ThrottleState,
  now: number,
  policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY,
): number {
  if (state.last_failure_at === null) return 0;
  const lastFailure = Math.min(Date.parse(state.last_failure_at), now);
  const allowedAt = lastFailure + throttleDelayMs(state.failures, policy);
  return Math.min(policy.maxDelayMs, Math.max(0, allowedAt - now));
}
