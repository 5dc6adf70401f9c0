// The settings as the UI and CLI show them: the stored values and the user verification policy actually in force.

import type { EffectiveUserVerification } from './resolveUserVerification.js';
import type { RpSettings } from './rpSettings.js';

export interface RpSettingsView extends RpSettings {
  /** What ceremonies use: the stored user_verification unless the environment or .env overrides it. */
  effective_user_verification: EffectiveUserVerification;
}
