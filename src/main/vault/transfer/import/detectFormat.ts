// Tells which export format a file is from its content alone (never its name), or says which formats were tried.

import { quoteForMessage } from '../../../text/quoteForMessage.js';
import { ImportError } from './ImportError.js';
import { IMPORT_FORMAT_NAMES, type ImportFormat } from './importTypes.js';
import { isJsonObject, jsonKind } from './jsonValues.js';
import { isAegisFile } from './readAegis.js';
import { isBitwardenExport } from './readBitwarden.js';
import { isTwoFasBackup } from './readTwoFas.js';
import { isTwoFauthExport } from './readTwoFauth.js';
import { uriKind } from './readUriList.js';

/** A file's content as the readers take it: parsed JSON, or the lines of a text file. */
export type ImportContent = { kind: 'json'; value: unknown } | { kind: 'lines'; lines: string[] };

const TRIED =
  `${IMPORT_FORMAT_NAMES['2fauth']}, ${IMPORT_FORMAT_NAMES.aegis} (plain or encrypted), ${IMPORT_FORMAT_NAMES['2fas']}, ` +
  `${IMPORT_FORMAT_NAMES.bitwarden}, ${IMPORT_FORMAT_NAMES.otpauth}, ${IMPORT_FORMAT_NAMES['google-migration']} URIs ` +
  `and ${IMPORT_FORMAT_NAMES.ente}`;

/** The sentence for a file that is none of the formats: what was tried, and a short excerpt that holds no secret. */
export function unknownFormat(found: string): ImportError {
  return new ImportError('unknown-format', `the file is none of the formats Latchkey reads (tried ${TRIED}): ${found}`);
}

/**
 * JSON: the top-level keys each format writes (2FAuth `app` "2fauth_*" + `data`; Aegis `version` + `header` + `db`,
 * encrypted when `db` is text; 2FAS `schemaVersion` + `services`; Bitwarden `items`). Text: any line that is an
 * otpauth:// URI (Ente Auth when one carries Ente's `codeDisplay`) or, failing that, an otpauth-migration:// one.
 */
export function detectFormat(content: ImportContent): ImportFormat {
  if (content.kind === 'json') {
    const root = content.value;
    if (!isJsonObject(root)) throw unknownFormat(`it is JSON holding ${jsonKind(root)}, not an object`);
    if (isTwoFauthExport(root)) return '2fauth';
    if (isAegisFile(root)) return typeof root.db === 'string' ? 'aegis-encrypted' : 'aegis';
    if (isTwoFasBackup(root)) return '2fas';
    if (isBitwardenExport(root)) return 'bitwarden';
    if ('encryptedData' in root && 'kdfParams' in root)
      throw new ImportError(
        'unsupported',
        'the file is an encrypted Ente Auth export, which Latchkey does not read: export it again as plain text (Settings, Data, Export codes, Plain text)',
      );
    const keys = Object.keys(root);
    const shown = keys.slice(0, 5).map(quoteForMessage).join(', ');
    throw unknownFormat(
      keys.length ? `it is JSON with the keys ${shown}${keys.length > 5 ? ', ...' : ''}` : 'it is an empty JSON object',
    );
  }
  let migration = false;
  let otpauth = false;
  for (const raw of content.lines) {
    const line = raw.trim();
    const kind = uriKind(line);
    if (kind === 'otpauth') {
      if (line.includes('codeDisplay=')) return 'ente';
      otpauth = true;
    } else if (kind === 'migration') migration = true;
  }
  if (otpauth) return 'otpauth';
  if (migration) return 'google-migration';
  throw unknownFormat(
    content.lines.every((l) => l.trim() === '')
      ? 'it is empty'
      : 'it is text, but no line is an otpauth:// or otpauth-migration:// URI',
  );
}
