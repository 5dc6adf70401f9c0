// The app's preferences (auto-lock, clipboard, theme...) in <data folder>/preferences.json, checked like every store.

import { join } from 'node:path';
import { z } from 'zod';
import { preferences as preferencesSchema, type Preferences } from '../../ipc/contract.js';
import { JsonStore } from '../store/JsonStore.js';

export const DEFAULT_PREFERENCES: Preferences = {
  autoLockMinutes: 5,
  lockOnOsLock: true,
  lockOnKeyRemoval: false,
  clipboardClearSeconds: 30,
  language: 'system',
  theme: 'system',
  startAtLogin: false,
  minimiseToTray: false,
  entryOrder: 'manual',
};

const FORMAT = 'latchkey-preferences';

/** Only what the person changed is stored: a preference added later takes its default for everyone. */
const documentSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
  preferences: preferencesSchema.partial(),
});
type PreferencesDocument = z.infer<typeof documentSchema>;

/**
 * The preferences of a data folder. A damaged file is refused (DamagedStoreError names it and its backups) and never
 * written over: the app then runs on the defaults and says so.
 */
export class PreferencesFile {
  private constructor(readonly store: JsonStore<PreferencesDocument>) {}

  static async open(dataDir: string): Promise<PreferencesFile> {
    const store = await JsonStore.open<PreferencesDocument>({
      format: FORMAT,
      version: 1,
      schema: documentSchema,
      file: join(dataDir, 'preferences.json'),
      initial: () => ({ format: FORMAT, version: 1, preferences: {} }),
      backups: 2,
    });
    return new PreferencesFile(store);
  }

  get value(): Preferences {
    return { ...DEFAULT_PREFERENCES, ...this.store.value.preferences };
  }

  /** Writes the changes (already checked against the contract) and gives the preferences as they now are. */
  async set(changes: Partial<Preferences>): Promise<Preferences> {
    await this.store.update((draft) => {
      draft.preferences = { ...draft.preferences, ...changes };
    });
    return this.value;
  }
}
