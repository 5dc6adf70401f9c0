// Switches an account between WebAuthn as a second factor and WebAuthn only (passwordless), never into a lock-out.

import { accountSummary, type AccountSummary } from '../accounts/accountSummary.js';
import { checkWayIn } from './checkWayIn.js';
import { findUser } from '../accounts/findUser.js';
import type { RpContext } from '../RpContext.js';

export interface SetWebAuthnOnlyOptions {
  userId: string;
  enabled: boolean;
}

/**
 * Turning it on needs a key bound to the current RP ID (Ory's warning: a switch must leave a way in). Turning it off
 * is always possible: the password is mandatory, so it is still there.
 */
export async function setWebAuthnOnly(ctx: RpContext, options: SetWebAuthnOnlyOptions): Promise<AccountSummary> {
  const rpId = ctx.store.value.settings.rp_id;
  const current = findUser(ctx.store.value, { id: options.userId });
  if (current.webauthn_only === options.enabled) return accountSummary(current);
  const user = await ctx.store.update((file) => {
    const draft = findUser(file, { id: options.userId });
    draft.webauthn_only = options.enabled;
    checkWayIn(draft, rpId, 'turning WebAuthn-only on is refused', `Register a security key for ${rpId} first.`);
    return structuredClone(draft);
  });
  await ctx.audit.record({
    event: 'mode-changed',
    outcome: 'success',
    user_id: user.id,
    email: user.email,
    setting: 'webauthn_only',
    from: options.enabled ? 'off' : 'on',
    to: options.enabled ? 'on' : 'off',
  });
  return accountSummary(user);
}
