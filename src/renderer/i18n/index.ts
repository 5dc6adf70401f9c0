// vue-i18n with the messages of every area (i18n/<locale>/<area>.json), English as the fallback.

import { createI18n } from 'vue-i18n';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

// A message file's content: nested objects of strings.
type Messages = { [key: string]: string | Messages };

/** Each area's file becomes a namespace: en/vault.json's "copy" is `vault.copy`. */
function messagesOf(files: Record<string, Messages>): Record<Locale, Messages> {
  const messages: Record<Locale, Messages> = { en: {}, fr: {} };
  for (const [path, content] of Object.entries(files)) {
    const match = /\/(en|fr)\/([\w-]+)\.json$/.exec(path);
    if (match) messages[match[1] as Locale][match[2] as string] = content;
  }
  return messages;
}

const files = import.meta.glob<Messages>('./*/*.json', { eager: true, import: 'default' });

/** The locale for a language preference: `system` follows the OS's language when Latchkey speaks it. */
export function localeFor(
  language: 'system' | Locale,
  systemLanguage: string = globalThis.navigator?.language ?? 'en',
): Locale {
  if (language !== 'system') return language;
  const spoken = LOCALES.find((l) => systemLanguage.toLowerCase().startsWith(l));
  return spoken ?? 'en';
}

export const i18n = createI18n<false>({
  legacy: false,
  locale: localeFor('system'),
  fallbackLocale: 'en',
  messages: messagesOf(files),
  datetimeFormats: {
    en: {
      short: { year: 'numeric', month: 'short', day: 'numeric' },
      long: { dateStyle: 'medium', timeStyle: 'short' },
    },
    fr: {
      short: { year: 'numeric', month: 'short', day: 'numeric' },
      long: { dateStyle: 'medium', timeStyle: 'short' },
    },
  },
  numberFormats: { en: { integer: { maximumFractionDigits: 0 } }, fr: { integer: { maximumFractionDigits: 0 } } },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}
