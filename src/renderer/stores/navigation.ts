// Which screen of the signed-in app is shown; the menu, the tray and the views move between them through here.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { on } from '../services/api';

export const SCREENS = [
  'vault',
  'add-entry',
  'edit-entry',
  'import',
  'export',
  'settings-keys',
  'settings-general',
  'keys-present',
] as const;
export type Screen = (typeof SCREENS)[number];

export const useNavigationStore = defineStore('navigation', () => {
  const screen = ref<Screen>('vault');
  /** The entry an edit screen is about. */
  const entryId = ref<string | undefined>();

  function go(next: Screen, options: { entryId?: string } = {}): void {
    entryId.value = options.entryId;
    screen.value = next;
  }

  on('navigate', ({ to }) => go(to === 'settings' ? 'settings-general' : to));
  // A lock leaves the screen it found (a form half typed, an entry's secret in an editor): the next sign-in opens the vault.
  on('locked', () => go('vault'));

  return { screen, entryId, go };
});
