// The words of the tray and the application menu, in the window's languages (the renderer's are in its message files).

export const SHELL_LANGUAGES = ['en', 'fr'] as const;
export type ShellLanguage = (typeof SHELL_LANGUAGES)[number];

export interface ShellLabels {
  open: string;
  settings: string;
  lock: string;
  quit: string;
  file: string;
}

export const SHELL_LABELS: Readonly<Record<ShellLanguage, ShellLabels>> = {
  en: { open: 'Open Latchkey', settings: 'Settings', lock: 'Lock', quit: 'Quit', file: 'File' },
  fr: { open: 'Ouvrir Latchkey', settings: 'Réglages', lock: 'Verrouiller', quit: 'Quitter', file: 'Fichier' },
};

/** The language preference ('system' follows the OS's locale, e.g. Electron's app.getLocale()) as a shell language. */
export function shellLanguage(preference: 'system' | ShellLanguage, systemLocale: string): ShellLanguage {
  if (preference !== 'system') return preference;
  return SHELL_LANGUAGES.find((l) => systemLocale.toLowerCase().startsWith(l)) ?? 'en';
}
