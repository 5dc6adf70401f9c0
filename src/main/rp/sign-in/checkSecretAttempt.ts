// One throttled attempt at an account's password or recovery code: counted under the store's lock before it is checked.

import { checkPasswordLength } from '../accounts/checkPassword.js';
import { hashSecret, spendVerifyTime, verifySecret, type SecretHash } from '../../secrets/secretHash.js';
import { normalizeEmail } from '../accounts/normalizeEmail.js';
import { normalizeRecoveryCode } from '../recovery/recoveryCode.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import { secretBytes, type Secret } from '../../secrets/secretBytes.js';
import { remainingWaitMs, throttleDelayMs } from './throttle.js';
import type { UserRecord } from '../accounts/userRecord.js';
import { zeroize } from '../../secrets/zeroize.js';

export interface CheckSecretAttemptOptions {
  kind: 'password' | 'recovery-code';
  email: string;
  secret: Secret;
  /**
   * Whether the right secret lets this account in (the password does not when WebAuthn-only is on). A right secret it
   * turns down is answered, counted and timed exactly as a wrong one, so the answer does not tell the two apart; the
   * audit log records `refusedReason`. @default every account
   */
  accepts?: (user: Readonly<UserRecord>) => boolean;
  /** The audit reason for a right secret that `accepts` turned down. @default the wrong-secret reason */
  refusedReason?: string;
}

/** What the locked update found, before the secret is looked at. */
type Attempt =
  | { state: 'unknown' }
  | { state: 'throttled'; userId: string; waitMs: number }
  | { state: 'missing'; userId: string }
  | { state: 'counted'; userId: string; stored: SecretHash; failures: number; accepted: boolean };

/**
 * Returns the account when the secret matches. Otherwise throws: `throttled` (with retryAfterMs) while the wait after
 * earlier failures runs, without looking at the secret or counting the attempt; `password-wrong` or
 * `recovery-code-wrong` for a wrong secret or an unknown email alike (with the wait the next attempt faces);
 * `recovery-code-missing` when the code was spent and not replaced; `password-too-long` before anything else.
 *
 * The attempt is counted as a failure before the secret is checked, inside the store's update, which holds the data
 * folder's lock and sees what every other process wrote: parallel attempts (30 `latchkey login` at once, or the app and
 * the CLI) each see the ones before them, so each counts and the wait applies to them all. A right secret then resets
 * the count. A crash between the two leaves the attempt counted, which errs on the safe side.
 */
export async function checkSecretAttempt(ctx: RpContext, options: CheckSecretAttemptOptions): Promise<UserRecord> {
  const isPassword = options.kind === 'password';
  const wrong = isPassword ? 'password-wrong' : 'recovery-code-wrong';
  const failedEvent = isPassword ? 'login-failed' : 'recovery-failed';
  const wrongMessage = isPassword ? 'the email or password is wrong' : 'the email or recovery code is wrong';
  const accepts = options.accepts ?? (() => true);
  const email = normalizeEmail(options.email);
  const field = isPassword ? 'password_throttle' : 'recovery_throttle';
  const bytes = isPassword ? secretBytes(options.secret) : secretBytes(normalizeRecoveryCode(textOf(options.secret)));
  try {
    if (isPassword) checkPasswordLength(bytes);
    // Every attempt makes this one locked write, an unknown email's included, so its duration does not tell either.
    const attempt = await ctx.store.update((file): Attempt => {
      const user = file.users.find((u) => u.email === email);
      if (!user) return { state: 'unknown' };
      const now = ctx.now();
      const throttle = user[field];
      // A failure dated in the future (a clock moved back) is moved to now, or its wait would not run out until then.
      if (throttle.last_failure_at !== null && Date.parse(throttle.last_failure_at) > now)
        throttle.last_failure_at = new Date(now).toISOString();
      const waitMs = remainingWaitMs(throttle, now, ctx.throttle);
      if (waitMs > 0) return { state: 'throttled', userId: user.id, waitMs };
      const stored = isPassword ? user.password : user.recovery_code?.hash;
      if (!stored) return { state: 'missing', userId: user.id };
      const failures = throttle.failures + 1;
      user[field] = { failures, last_failure_at: new Date(now).toISOString() };
      return { state: 'counted', userId: user.id, stored: structuredClone(stored), failures, accepted: accepts(user) };
    });
    switch (attempt.state) {
      case 'unknown':
        // The same scrypt work as a wrong password, so timing does not tell whether the account exists.
        await spendVerifyTime(bytes, ctx.scrypt);
        await ctx.audit.record({ event: failedEvent, outcome: 'failure', email, reason: wrong });
        throw new RelyingPartyError(wrong, wrongMessage, { retryAfterMs: 0 });
      case 'throttled':
        // Recorded: attempts made during the wait are what a guessing attack looks like.
        await ctx.audit.record({
          event: failedEvent,
          outcome: 'failure',
          user_id: attempt.userId,
          email,
          reason: 'throttled',
        });
        throw new RelyingPartyError(
          'throttled',
          `too many wrong attempts for ${email}: wait ${Math.ceil(attempt.waitMs / 1000)} s before the next one`,
          { retryAfterMs: attempt.waitMs },
        );
      case 'missing':
        throw new RelyingPartyError(
          'recovery-code-missing',
          `${email} has no unused recovery code: it was spent in an earlier recovery and no new one was made`,
        );
      case 'counted':
        break;
    }
    const { matches, rehash } = await verifySecret({ secret: bytes, stored: attempt.stored, current: ctx.scrypt });
    if (!matches || !attempt.accepted) {
      const reason = matches ? (options.refusedReason ?? wrong) : wrong;
      await ctx.audit.record({ event: failedEvent, outcome: 'failure', user_id: attempt.userId, email, reason });
      const next = throttleDelayMs(attempt.failures, ctx.throttle);
      const advice = next > 0 ? `; wait ${Math.ceil(next / 1000)} s before the next attempt` : '';
      throw new RelyingPartyError(wrong, `${wrongMessage}${advice}`, { retryAfterMs: next });
    }
    const fresh = rehash ? await hashSecret({ secret: bytes, params: ctx.scrypt }) : undefined;
    return await ctx.store.update((file) => {
      const draft = file.users.find((u) => u.id === attempt.userId);
      if (!draft)
        throw new RelyingPartyError('user-unknown', `the account of ${email} was removed during this sign-in`);
      draft[field] = { failures: 0, last_failure_at: null };
      if (fresh && isPassword) draft.password = fresh;
      // Only the hash just checked: a code regenerated meanwhile stays as it is.
      if (fresh && !isPassword && draft.recovery_code?.hash.salt === attempt.stored.salt)
        draft.recovery_code.hash = fresh;
      return structuredClone(draft);
    });
  } finally {
    zeroize(bytes);
  }
}

function textOf(secret: Secret): string {
  return typeof secret === 'string' ? secret : Buffer.from(secret).toString('utf8');
}
