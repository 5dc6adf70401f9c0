// The app's state as the main process tells it: accounts, the signed-in account, the vault's state, preferences.

import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppState, EventOf, Preferences } from '../../ipc/contract';
import { call, on } from '../services/api';
import { localeFor, setLocale } from '../i18n/index';

export const useSessionStore = defineStore('session', () => {
  const state = ref<AppState | undefined>();
  const lastLock = ref<EventOf<'locked'>['reason'] | undefined>();

  const signedIn = computed(() => state.value?.account !== undefined);
  const vaultOpen = computed(() => state.value?.vault === 'open');
  const hasAccount = computed(() => (state.value?.accounts.length ?? 0) > 0);

  function apply(next: AppState): void {
    state.value = next;
    applyLook(next.preferences);
  }

  async function refresh(): Promise<void> {
    apply(await call('app:state', {}));
  }

  async function setPreferences(changes: Partial<Preferences>): Promise<void> {
    const preferences = await call('preferences:set', changes);
    if (state.value) state.value = { ...state.value, preferences };
    applyLook(preferences);
  }

  async function lock(): Promise<void> {
    await call('account:lock', {});
  }

  on('locked', (event) => {
    lastLock.value = event.reason;
    void refresh();
  });

  return { state, lastLock, signedIn, vaultOpen, hasAccount, apply, refresh, setPreferences, lock };
});

/** Theme and language follow the preferences at once. */
function applyLook(preferences: Preferences): void {
  const dark =
    preferences.theme === 'dark' ||
    (preferences.theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  setLocale(localeFor(preferences.language));
}
