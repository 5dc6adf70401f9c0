// The one sentence a screen shows when a call fails: the main process's message, never a stack trace.

import { useI18n } from 'vue-i18n';
import { ApiError } from '../services/api';

export function useVaultErrorMessage(): (failure: unknown) => string {
  const { t } = useI18n();
  // Anything but an ApiError is a renderer bug or a dead transport: its text means nothing to the person.
  return (failure) => (failure instanceof ApiError ? failure.message : t('vault.unexpected'));
}
