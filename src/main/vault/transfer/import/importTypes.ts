// What reading an import file gives: the format found, the entries read and the ones left behind, each with its source.

import type { VaultEntryFields } from '../../entries/index.js';

/** The formats readImport reads, as the CLI's `--format` names them. */
export const IMPORT_FORMATS = [
  '2fauth',
  'otpauth',
  'google-migration',
  'aegis',
  'aegis-encrypted',
  '2fas',
  'bitwarden',
  'ente',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** How each format is named to a person, in messages and the preview. */
export const IMPORT_FORMAT_NAMES: Readonly<Record<ImportFormat, string>> = {
  '2fauth': '2FAuth JSON',
  otpauth: 'otpauth URIs',
  'google-migration': 'Google Authenticator transfer',
  aegis: 'Aegis JSON',
  'aegis-encrypted': 'encrypted Aegis JSON',
  '2fas': '2FAS',
  bitwarden: 'Bitwarden JSON',
  ente: 'Ente Auth text',
};

/** One account read from the file, already through checkEntry (so adding it cannot fail on its fields). */
export interface ImportedEntry {
  /**
   * 2FAuth's field names in their checked, stored form: checkEntry's output (an EntryInput that checkEntry accepts
   * again unchanged), `icon` left null because the icon's bytes are in `icon`.
   */
  input: VaultEntryFields;
  /** Names of the groups (Aegis groups, 2FAS groups, Ente tags) the entry is in, as the file spells them. */
  groups: string[];
  note?: string;
  favourite?: boolean;
  /** The icon's bytes, when the file carries one of a type Latchkey shows (PNG, JPEG, WebP, SVG, BMP). */
  icon?: { mime: string; data: Uint8Array };
  /** Where in the file: `line 3`, `entry 5 (GitHub)`, `transfer part 2 of 3, account 1 (GitHub)`. */
  source: string;
  /** What was read but left out without refusing the entry, one sentence each (an icon of an unknown type...). */
  warnings?: string[];
}

/** One account, or one part of the file, that is not imported. */
export interface NotImported {
  source: string;
  /** One sentence naming the field at fault; never the secret. */
  reason: string;
}

export interface ParsedImport {
  format: ImportFormat;
  entries: ImportedEntry[];
  notImported: NotImported[];
}
