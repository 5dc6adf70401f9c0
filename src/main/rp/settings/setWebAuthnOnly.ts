// WebAuthn-only on or off, as before sign-in modes had names: key-only, or password-and-key.

import type { AccountSummary } from '../accounts/accountSummary.js';
import type { RpContext } from '../RpContext.js';
import { setSignInMode } from './setSignInMode.js';

export interface SetWebAuthnOnlyOptions {
  userId: string;
  enabled: boolean;
}

/** A thin wrapper kept for callers written before setSignInMode; the lock-out guard is setSignInMode's. */
export function setWebAuthnOnly(ctx: RpContext, options: SetWebAuthnOnlyOptions): Promise<AccountSummary> {
  return setSignInMode(ctx, { userId: options.userId, mode: options.enabled ? 'key-only' : 'password-and-key' });
}
