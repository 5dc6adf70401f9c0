// Writes entries as 2FAuth's JSON export (schema 1), the file 2FAuth's own importer and Latchkey's read.

import { formatOtpauthUri, type VaultEntry, type VaultGroup } from '../../entries/index.js';
import { iconOf, type IconLookup } from './iconLookup.js';

/**
 * 2FAuth's MigratorFactory reads a file as its own JSON only when `app` starts with `2fauth_` (it writes
 * `2fauth_v<version>`); any other value falls through to the other formats and the import fails. The rest of the value
 * says who wrote the file.
 */
export const TWOFAUTH_APP = '2fauth_latchkey';

export interface Export2fauthJsonOptions {
  /** When the export was made, written as `datetime`. @default new Date() */
  now?: Date;
  /** Icon images by file name; an entry whose icon it does not know gets `icon_mime` and `icon_file` null. */
  icons?: IconLookup;
}

/**
 * `{ app, schema: 1, datetime, data: [...] }` with each entry's fields in the order and types 2FAuth's
 * TwoFAccountExportResource writes them: `legacy_uri` included, since 2FAuth's importer reads it unconditionally (an
 * entry without it aborts the whole import there). 2FAuth's export has no groups, so `groups` are not written.
 * The bytes hold every secret in clear text: write them with mode 0600 and say the file is not encrypted.
 */
export function export2fauthJson(
  entries: readonly VaultEntry[],
  _groups: readonly VaultGroup[],
  options: Export2fauthJsonOptions = {},
): Buffer {
  const { now = new Date(), icons } = options;
  const data = entries.map((entry) => {
    const icon = iconOf(entry.icon, icons);
    return {
      otp_type: entry.otp_type,
      account: entry.account,
      service: entry.service,
      icon: entry.icon,
      icon_mime: icon ? icon.mime : null,
      icon_file: icon ? Buffer.from(icon.data).toString('base64') : null,
      secret: entry.secret,
      digits: entry.digits,
      algorithm: entry.algorithm,
      period: entry.period,
      counter: entry.counter,
      legacy_uri: formatOtpauthUri(entry),
    };
  });
  const document = { app: TWOFAUTH_APP, schema: 1, datetime: now.toISOString(), data };
  return Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
}
