// Reads Bitwarden's unencrypted JSON export (Password Manager and Authenticator): the items whose login has a TOTP.

import { checkEntry, parseOtpauthUri, type VaultEntryFields } from '../../entries/index.js';
import { entrySource, ImportCollector } from './ImportCollector.js';
import { ImportError } from './ImportError.js';
import type { ParsedImport } from './importTypes.js';
import { isJsonObject, jsonKind, objectAt, textAt, type JsonObject } from './jsonValues.js';

export function isBitwardenExport(root: JsonObject): boolean {
  return Array.isArray(root.items) || (typeof root.encrypted === 'boolean' && 'encKeyValidation_DO_NOT_EDIT' in root);
}

/**
 * `{"encrypted": false, "folders": [{"id", "name"}], "items": [{"name", "notes", "favorite", "folderId", "login":
 * {"username", "totp"}}]}`. `login.totp` is an otpauth URI, `steam://SECRET`, or bare base32 (Bitwarden's defaults:
 * TOTP, SHA1, 6 digits, 30 s). The service is the item's name as Bitwarden shows it, the account the URI's, else the
 * login's username. Items without a TOTP are passwords only and are passed over without a mention: they are not 2FA
 * accounts. An encrypted export is refused: Bitwarden can export the same vault unencrypted.
 */
export function readBitwarden(root: JsonObject): ParsedImport {
  if (root.encrypted === true || !Array.isArray(root.items))
    throw new ImportError(
      'unsupported',
      'the Bitwarden export is encrypted, which Latchkey does not read: export it again as ".json" (not "encrypted")',
    );
  const folders = new Map<string, string>();
  if (Array.isArray(root.folders))
    for (const folder of root.folders)
      if (isJsonObject(folder) && typeof folder.id === 'string' && typeof folder.name === 'string')
        folders.set(folder.id, folder.name);
  const collector = new ImportCollector();
  root.items.forEach((item: unknown, i) => {
    if (!isJsonObject(item)) {
      collector.refuse(`item ${i + 1}`, `the item is ${jsonKind(item)}, expected an object`);
      return;
    }
    const login = objectAt(item, 'login');
    const totp = textAt(login, 'totp')?.trim();
    if (totp === undefined || totp === '') return;
    const source = entrySource(i + 1, item.name, 'item');
    const folder = typeof item.folderId === 'string' ? folders.get(item.folderId) : undefined;
    collector.addParsed(source, () => readTotp(item, login, totp), {
      groups: folder === undefined ? [] : [folder],
      note: textAt(item, 'notes'),
      favourite: typeof item.favorite === 'boolean' ? item.favorite : undefined,
    });
  });
  return collector.result('bitwarden');
}

function readTotp(item: JsonObject, login: JsonObject, totp: string): VaultEntryFields {
  const name = textAt(item, 'name')?.trim() ?? '';
  const username = textAt(login, 'username') ?? '';
  if (/^otpauth:/i.test(totp)) {
    const fields = parseOtpauthUri(totp);
    const fromLabel = fields.account !== '';
    return checkEntry({
      ...fields,
      service: name || fields.service,
      account: fromLabel ? fields.account : username || (name ? fields.service : ''),
    });
  }
  const steam = /^steam:\/\//i.test(totp);
  return checkEntry({
    otp_type: steam ? 'steamtotp' : 'totp',
    service: name,
    account: username,
    secret: steam ? totp.slice('steam://'.length) : totp,
  });
}
