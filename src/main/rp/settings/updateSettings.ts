// Changes relying-party settings: validated, audited, and refusing an RP ID change that orphans keys unconfirmed or locks anyone out.

import { checkWayIn, MAKE_A_KEY_VERIFY } from './checkWayIn.js';
import { findOrphanedCredentials } from '../keys/findOrphanedCredentials.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import { resolveUserVerification } from './resolveUserVerification.js';
import type { RpContext } from '../RpContext.js';
import { rpSettingsSchema, type RpSettings, type UserVerificationPolicy } from './rpSettings.js';
import type { RpSettingsView } from './RpSettingsView.js';

export interface UpdateSettingsOptions {
  rpId?: string;
  origin?: string;
  displayName?: string;
  userVerification?: UserVerificationPolicy;
  /**
   * The user saw how many keys a new RP ID orphans (findOrphanedCredentials with that rpId) and agreed: those keys
   * stop working until the RP ID is set back. @default false
   */
  confirmOrphaning?: boolean;
}

export async function updateSettings(ctx: RpContext, options: UpdateSettingsOptions): Promise<RpSettingsView> {
  const before = ctx.store.value.settings;
  const candidate: RpSettings = {
    rp_id: options.rpId ?? before.rp_id,
    rp_origin: options.origin ?? before.rp_origin,
    rp_display_name: options.displayName ?? before.rp_display_name,
    user_verification: options.userVerification ?? before.user_verification,
  };
  const parsed = rpSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RelyingPartyError(
      'settings-invalid',
      `${issue.path.join('.')} ${JSON.stringify(candidate[issue.path[0] as keyof RpSettings])} is refused: ${issue.message}`,
    );
  }
  const next = parsed.data;
  if (next.rp_id !== before.rp_id) {
    const orphaned = findOrphanedCredentials(ctx, { rpId: next.rp_id }).filter((c) => c.rp_id === before.rp_id).length;
    if (orphaned > 0 && options.confirmOrphaning !== true) {
      throw new RelyingPartyError(
        'confirmation-required',
        `changing the RP ID from ${before.rp_id} to ${next.rp_id} orphans ${orphaned} registered key(s): they only work for the RP ID they were made for. Pass confirmOrphaning: true once the user agreed.`,
      );
    }
  }
  const effective = await resolveUserVerification({
    setting: next.user_verification,
    dataDir: ctx.dataDir,
    env: ctx.env,
  });
  // A stored "required" is judged as such even while the environment overrides it: the override may go away.
  const policy = next.user_verification === 'required' ? 'required' : effective.policy;
  const requiring = next.user_verification === 'required' && before.user_verification !== 'required';
  await ctx.store.update((file) => {
    // Nobody may be stranded, judged on what is on disk: every account keeps a way in under the new RP ID and policy.
    for (const user of file.users) {
      if (next.rp_id !== before.rp_id) {
        checkWayIn({
          after: user,
          rpId: next.rp_id,
          userVerification: policy,
          explanation: `changing the RP ID to ${next.rp_id} is refused`,
          remedy: 'Switch that account to password-and-key or password-or-key first.',
        });
      }
      if (requiring) {
        checkWayIn({
          after: user,
          rpId: next.rp_id,
          userVerification: policy,
          explanation: 'setting the user verification policy to "required" is refused',
          remedy: `${MAKE_A_KEY_VERIFY}, or switch that account to password-or-key, before requiring user verification.`,
        });
      }
    }
    file.settings = next;
  });
  ctx.userVerification = effective;
  for (const key of ['rp_id', 'rp_origin', 'rp_display_name', 'user_verification'] as const) {
    if (before[key] !== next[key])
      await ctx.audit.record({
        event: 'settings-changed',
        outcome: 'success',
        setting: key,
        from: before[key],
        to: next[key],
      });
  }
  return { ...next, effective_user_verification: effective };
}
