// Makes a new one-time recovery code for an account; the old one stops working at once.

import { findUser } from '../accounts/findUser.js';
import { hashSecret } from '../../secrets/secretHash.js';
import { zeroize } from '../../secrets/zeroize.js';
import { generateRecoveryCode, normalizeRecoveryCode } from './recoveryCode.js';
import type { RpContext } from '../RpContext.js';
import { secretBytes } from '../../secrets/secretBytes.js';

export interface RegenerateRecoveryCodeOptions {
  userId: string;
}

/** Returns the new code: show it once, it is not kept. */
export async function regenerateRecoveryCode(ctx: RpContext, options: RegenerateRecoveryCodeOptions): Promise<string> {
  const user = findUser(ctx.store.value, { id: options.userId });
  const code = generateRecoveryCode();
  const bytes = secretBytes(normalizeRecoveryCode(code));
  try {
    const hash = await hashSecret({ secret: bytes, params: ctx.scrypt });
    await ctx.store.update((file) => {
      const draft = findUser(file, { id: user.id });
      draft.recovery_code = { created_at: new Date(ctx.now()).toISOString(), hash };
      draft.recovery_throttle = { failures: 0, last_failure_at: null };
    });
  } finally {
    zeroize(bytes);
  }
  await ctx.audit.record({
    event: 'recovery-code-regenerated',
    outcome: 'success',
    user_id: user.id,
    email: user.email,
  });
  return code;
}
