// Reads 2FAuth's JSON export (schema 1): 2FAuth's own field names, so each entry maps across field by field.

import { entrySource, ImportCollector } from './ImportCollector.js';
import { ImportError } from './ImportError.js';
import type { ParsedImport } from './importTypes.js';
import { isJsonObject, jsonKind, textAt, type JsonObject } from './jsonValues.js';
import { readIcon } from './readIcon.js';

/** Whether the JSON is a 2FAuth export: `app` "2fauth_v..." and `schema` 1 (what 2FAuth's own importer checks). */
export function isTwoFauthExport(root: JsonObject): boolean {
  return textAt(root, 'app')?.startsWith('2fauth_') === true && 'data' in root;
}

/**
 * `{"app": "2fauth_v5.4.0", "schema": 1, "datetime": ..., "data": [{otp_type, service, account, secret, digits,
 * algorithm, period, counter, icon, icon_mime, icon_file, legacy_uri}]}`. As 2FAuth's importer does, the counter is
 * read for HOTP only and the period for the time-based types only (2FAuth writes both fields for every entry).
 */
export function readTwoFauth(root: JsonObject): ParsedImport {
  if (root.schema !== 1)
    throw new ImportError(
      'unsupported',
      `the 2FAuth export has schema ${jsonKind(root.schema) === 'a number' ? String(root.schema) : jsonKind(root.schema)}, expected 1`,
    );
  if (!Array.isArray(root.data))
    throw new ImportError(
      'damaged',
      `the 2FAuth export's data is ${jsonKind(root.data)}, expected an array of accounts`,
    );
  const collector = new ImportCollector();
  root.data.forEach((item: unknown, i) => {
    if (!isJsonObject(item)) {
      collector.refuse(`entry ${i + 1}`, `the entry is ${jsonKind(item)}, expected an object of 2FAuth fields`);
      return;
    }
    const source = entrySource(i + 1, item.service);
    const type = typeof item.otp_type === 'string' ? item.otp_type.toLowerCase() : item.otp_type;
    const icon = readIcon(item.icon_file, item.icon_mime);
    collector.add(
      source,
      {
        otp_type: item.otp_type,
        service: item.service,
        account: item.account,
        secret: item.secret,
        digits: item.digits,
        algorithm: item.algorithm,
        period: type === 'hotp' ? undefined : item.period,
        counter: type === 'hotp' ? item.counter : undefined,
      },
      icon === undefined ? {} : 'icon' in icon ? { icon: icon.icon } : { warnings: [icon.warning] },
    );
  });
  return collector.result('2fauth');
}
