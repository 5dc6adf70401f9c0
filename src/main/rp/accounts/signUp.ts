// Creates an account: email, mandatory password (scrypt), random user handle, and a one-time recovery code shown once.

import { randomBytes, randomUUID } from 'node:crypto';
import { accountSummary, type AccountSummary } from './accountSummary.js';
import { checkNewPassword } from './checkPassword.js';
import { hashSecret } from '../../secrets/secretHash.js';
import { normalizeEmail } from './normalizeEmail.js';
import { generateRecoveryCode, normalizeRecoveryCode } from '../recovery/recoveryCode.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import { secretBytes, type Secret } from '../../secrets/secretBytes.js';
import { DEFAULT_SIGN_IN_MODE } from '../settings/signInMode.js';
import type { UserRecord } from './userRecord.js';
import { zeroize } from '../../secrets/zeroize.js';
/** WebAuthn L3 section 5.4.3 allows up to 64 bytes; 32 random bytes are plenty and leak nothing about the user. */
const USER_HANDLE_BYTES = 32;

export interface SignUpOptions {
  email: string;
  /** Text, or UTF-8 bytes the caller zeroes afterwards. */
  password: Secret;
}

export interface SignUpResult {
  user: AccountSummary;
  /** Show it once and ask the user to write it down: only its hash is kept. */
  recoveryCode: string;
}

export async function signUp(ctx: RpContext, options: SignUpOptions): Promise<SignUpResult> {
  const email = normalizeEmail(options.email);
  if (ctx.store.value.users.some((u) => u.email === email)) {
    throw new RelyingPartyError('email-taken', `an account for ${email} already exists in this data folder`);
  }
  const password = secretBytes(options.password);
  const recoveryCode = generateRecoveryCode();
  const code = secretBytes(normalizeRecoveryCode(recoveryCode));
  try {
    checkNewPassword(password);
    const now = new Date(ctx.now()).toISOString();
    const user: UserRecord = {
      id: randomUUID(),
      email,
      user_handle: randomBytes(USER_HANDLE_BYTES).toString('base64url'),
      created_at: now,
      password: await hashSecret({ secret: password, params: ctx.scrypt }),
      recovery_code: { created_at: now, hash: await hashSecret({ secret: code, params: ctx.scrypt }) },
      sign_in_mode: DEFAULT_SIGN_IN_MODE,
      password_throttle: { failures: 0, last_failure_at: null },
      recovery_throttle: { failures: 0, last_failure_at: null },
      credentials: [],
      revoked_credentials: [],
    };
    await ctx.store.update((file) => {
      // Checked again inside the update: two sign-ups may have raced through the hashing.
      if (file.users.some((u) => u.email === email))
        throw new RelyingPartyError('email-taken', `an account for ${email} already exists in this data folder`);
      file.users.push(user);
    });
    // Never throws (RpContext.audit): the account exists now, and its recovery code must reach the user.
    await ctx.audit.record({ event: 'account-created', outcome: 'success', user_id: user.id, email });
    return { user: accountSummary(user), recoveryCode };
  } finally {
    zeroize(password, code);
  }
}
