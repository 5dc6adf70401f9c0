// Reads the contents of an Aegis vault or export (db versions 1 to 3): entries with groups, notes, favourites and icons.

import { quoteForMessage } from '../../../text/quoteForMessage.js';
import { entrySource, ImportCollector, type EntryExtras } from './ImportCollector.js';
import { ImportError } from './ImportError.js';
import type { ImportFormat, ParsedImport } from './importTypes.js';
import { isJsonObject, jsonKind, objectAt, textAt, type JsonObject } from './jsonValues.js';
import { readIcon } from './readIcon.js';

/** Aegis' types that Latchkey has; the others are listed with what they are. */
const TYPES: Readonly<Record<string, string>> = { totp: 'totp', hotp: 'hotp', steam: 'steamtotp' };
const OTHER_TYPES: Readonly<Record<string, string>> = {
  motp: 'mOTP (Mobile-OTP, a PIN-based code)',
  yandex: 'Yandex (a PIN-based code)',
};

/** db versions this reader knows: 1 (no groups), 2 (one group name per entry), 3 (group UUIDs and a group list). */
const MAX_DB_VERSION = 3;

/** Whether the JSON is an Aegis file: `version`, `header` and `db` at the top (docs/vault.md, "Format"). */
export function isAegisFile(root: JsonObject): boolean {
  return typeof root.version === 'number' && isJsonObject(root.header) && 'db' in root;
}

/** Checks the outer file: version 1, as Aegis writes it. */
export function checkAegisFile(root: JsonObject): void {
  if (root.version !== 1)
    throw new ImportError(
      'unsupported',
      `the Aegis file has version ${jsonKind(root.version) === 'a number' ? String(root.version) : jsonKind(root.version)}, expected 1`,
    );
}

/**
 * The entries of `db` (`{"version": 3, "entries": [...], "groups": [{"uuid", "name"}]}`). Each entry: `type`, `name`
 * (the account), `issuer` (the service; an entry without one takes its name as the service), `info` {secret, algo,
 * digits, period | counter}, `note`, `favorite`, `icon` (base64) with `icon_mime` (db 1: always JPEG), and `groups`
 * (db 3, UUIDs) or `group` (db 2, a name).
 */
export function readAegisDb(db: unknown, format: ImportFormat): ParsedImport {
  if (!isJsonObject(db)) throw new ImportError('damaged', `the Aegis db is ${jsonKind(db)}, expected an object`);
  const version = db.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MAX_DB_VERSION)
    throw new ImportError(
      'unsupported',
      `the Aegis db has version ${typeof version === 'number' ? version : jsonKind(version)}, expected 1 to ${MAX_DB_VERSION}`,
    );
  if (!Array.isArray(db.entries))
    throw new ImportError('damaged', `the Aegis db's entries is ${jsonKind(db.entries)}, expected an array`);
  const groups = new Map<string, string>();
  if (Array.isArray(db.groups))
    for (const group of db.groups)
      if (isJsonObject(group) && typeof group.uuid === 'string' && typeof group.name === 'string')
        groups.set(group.uuid, group.name);
  const collector = new ImportCollector();
  db.entries.forEach((entry: unknown, i) => {
    if (!isJsonObject(entry)) {
      collector.refuse(`entry ${i + 1}`, `the entry is ${jsonKind(entry)}, expected an object`);
      return;
    }
    const issuer = textAt(entry, 'issuer')?.trim() ?? '';
    const name = textAt(entry, 'name')?.trim() ?? '';
    const source = entrySource(i + 1, issuer || name);
    const aegisType = textAt(entry, 'type')?.toLowerCase() ?? '';
    const type = TYPES[aegisType];
    if (type === undefined) {
      const other = OTHER_TYPES[aegisType];
      collector.refuse(
        source,
        other
          ? `the type ${quoteForMessage(aegisType)} is ${other}, which Latchkey does not generate: it reads TOTP, HOTP and Steam`
          : `the type ${typeof entry.type === 'string' ? quoteForMessage(entry.type) : jsonKind(entry.type)} is not totp, hotp or steam`,
      );
      return;
    }
    const info = objectAt(entry, 'info');
    collector.add(
      source,
      {
        otp_type: type,
        service: issuer || name,
        account: issuer ? name : '',
        secret: info.secret,
        algorithm: info.algo,
        digits: info.digits,
        period: type === 'hotp' ? undefined : info.period,
        counter: type === 'hotp' ? info.counter : undefined,
      },
      extrasOf(entry, version, groups),
    );
  });
  return collector.result(format);
}

function extrasOf(entry: JsonObject, version: number, groups: ReadonlyMap<string, string>): EntryExtras {
  const extras: EntryExtras = { groups: [], warnings: [] };
  if (version >= 3 && Array.isArray(entry.groups)) {
    for (const id of entry.groups) {
      const name = typeof id === 'string' ? groups.get(id) : undefined;
      if (name === undefined) extras.warnings!.push('a group the entry names is not in the file: it was left out');
      else extras.groups!.push(name);
    }
  } else if (typeof entry.group === 'string' && entry.group.trim() !== '') extras.groups!.push(entry.group.trim());
  if (typeof entry.note === 'string') extras.note = entry.note;
  if (typeof entry.favorite === 'boolean') extras.favourite = entry.favorite;
  const icon = readIcon(entry.icon, version === 1 ? 'image/jpeg' : entry.icon_mime);
  if (icon !== undefined) {
    if ('icon' in icon) extras.icon = icon.icon;
    else extras.warnings!.push(icon.warning);
  }
  return extras;
}
