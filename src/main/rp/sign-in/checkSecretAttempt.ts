// One throttled attempt at an account's password or recovery code: wait reported, failures persisted, success resets them.

import { hashSecret } from '../../secrets/hashSecret.js';
import { normalizeEmail } from '../accounts/normalizeEmail.js';
import { normalizeRecoveryCode } from '../recovery/recoveryCode.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import { secretBytes, type Secret } from '../../secrets/secretBytes.js';
import type { ScryptParams, SecretHash } from '../../secrets/secretHash.js';
import { remainingWaitMs, throttleDelayMs } from './throttle.js';
import type { UserRecord } from '../accounts/userRecord.js';
import { verifySecret } from '../../secrets/verifySecret.js';

export interface CheckSecretAttemptOptions {
  kind: 'password' | 'recovery-code';
  email: string;
  secret: Secret;
}

// An unknown email costs the same scrypt work as a wrong password, so timing does not tell whether an account exists.
const dummyHashes = new Map<string, Promise<SecretHash>>();

/**
 * Returns the account when the secret matches. Otherwise throws: `throttled` (with retryAfterMs) while the wait after
 * earlier failures runs, without looking at the secret or counting the attempt; `password-wrong` or
 * `recovery-code-wrong` for a wrong secret or an unknown email alike (with the wait the next attempt faces);
 * `recovery-code-missing` when the code was spent and not replaced.
 */
export async function checkSecretAttempt(ctx: RpContext, options: CheckSecretAttemptOptions): Promise<UserRecord> {
  const isPassword = options.kind === 'password';
  const wrong = isPassword ? 'password-wrong' : 'recovery-code-wrong';
  const failedEvent = isPassword ? 'login-failed' : 'recovery-failed';
  const email = normalizeEmail(options.email);
  const bytes = isPassword ? secretBytes(options.secret) : secretBytes(normalizeRecoveryCode(textOf(options.secret)));
  try {
    const user = ctx.store.value.users.find((u) => u.email === email);
    if (!user) {
      await verifySecret({ secret: bytes, stored: await dummyHash(ctx.scrypt), current: ctx.scrypt });
      await ctx.audit.record({ event: failedEvent, outcome: 'failure', email, reason: wrong });
      throw new RelyingPartyError(wrong, isPassword ? 'the email or password is wrong' : 'the email or recovery code is wrong');
    }
    const throttleField = isPassword ? 'password_throttle' : 'recovery_throttle';
    const wait = remainingWaitMs(user[throttleField], ctx.now(), ctx.throttle);
    if (wait > 0) {
      // Recorded: attempts made during the wait are what a guessing attack looks like.
      await ctx.audit.record({ event: failedEvent, outcome: 'failure', user_id: user.id, email, reason: 'throttled' });
      throw new RelyingPartyError('throttled', `too many wrong attempts for ${email}: wait ${Math.ceil(wait / 1000)} s before the next one`, { retryAfterMs: wait });
    }
    const stored = isPassword ? user.password : user.recovery_code?.hash;
    if (!stored) {
      throw new RelyingPartyError('recovery-code-missing', `${email} has no unused recovery code: it was spent in an earlier recovery and no new one was made`);
    }
    const { matches, rehash } = await verifySecret({ secret: bytes, stored, current: ctx.scrypt });
    if (!matches) {
      const failures = user[throttleField].failures + 1;
      await ctx.store.update((file) => {
        const draft = file.users.find((u) => u.id === user.id);
        if (draft) draft[throttleField] = { failures, last_failure_at: new Date(ctx.now()).toISOString() };
      });
      await ctx.audit.record({ event: failedEvent, outcome: 'failure', user_id: user.id, email, reason: wrong });
      const next = throttleDelayMs(failures, ctx.throttle);
      const advice = next > 0 ? `; wait ${Math.ceil(next / 1000)} s before the next attempt` : '';
      throw new RelyingPartyError(wrong, `${isPassword ? 'the email or password' : 'the email or recovery code'} is wrong${advice}`, { retryAfterMs: next });
    }
    const fresh = rehash ? await hashSecret({ secret: bytes, params: ctx.scrypt }) : undefined;
    if (fresh || user[throttleField].failures > 0) {
      await ctx.store.update((file) => {
        const draft = file.users.find((u) => u.id === user.id);
        if (!draft) return;
        draft[throttleField] = { failures: 0, last_failure_at: null };
        if (fresh && isPassword) draft.password = fresh;
        if (fresh && !isPassword && draft.recovery_code) draft.recovery_code.hash = fresh;
      });
    }
    return ctx.store.value.users.find((u) => u.id === user.id) ?? user;
  } finally {
    bytes.fill(0);
  }
}

function textOf(secret: Secret): string {
  return typeof secret === 'string' ? secret : Buffer.from(secret).toString('utf8');
}

function dummyHash(params: ScryptParams): Promise<SecretHash> {
  const key = `${params.n}:${params.r}:${params.p}`;
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashSecret({ secret: Buffer.from('latchkey: no such account'), params });
    dummyHashes.set(key, hash);
  }
  return hash;
}
