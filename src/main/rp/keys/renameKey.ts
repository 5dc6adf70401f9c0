// Renames one of an account's keys.

import { checkDisplayName } from './checkDisplayName.js';
import type { CredentialRecord } from './credentialRecord.js';
import { findOwnKey } from './findOwnKey.js';
import { findUser } from '../accounts/findUser.js';
import type { RpContext } from '../RpContext.js';

export interface RenameKeyOptions {
  userId: string;
  credentialId: string;
  displayName: string;
}

export async function renameKey(ctx: RpContext, options: RenameKeyOptions): Promise<CredentialRecord> {
  const name = checkDisplayName(options.displayName);
  const { before, after } = await ctx.store.update((file) => {
    const key = findOwnKey(findUser(file, { id: options.userId }), options.credentialId);
    const previous = key.display_name;
    key.display_name = name;
    return { before: previous, after: structuredClone(key) };
  });
  const user = findUser(ctx.store.value, { id: options.userId });
  await ctx.audit.record({
    event: 'key-renamed',
    outcome: 'success',
    user_id: user.id,
    email: user.email,
    credential_id: after.id,
    display_name: name,
    from: before,
    to: name,
  });
  return after;
}
