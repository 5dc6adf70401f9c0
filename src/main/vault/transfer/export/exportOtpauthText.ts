// Writes entries as otpauth:// URIs, one per line: 2FAuth's `.txt` export, which most authenticator apps import.

import { formatOtpauthUri, type VaultEntry } from '../../entries/index.js';

/**
 * One URI per line (formatOtpauthUri), each line ending in `\n`. Groups, notes and icons have no place in a URI and
 * are not written. The bytes hold every secret in clear text: write them with mode 0600 and say so.
 */
export function exportOtpauthText(entries: readonly VaultEntry[]): Buffer {
  return Buffer.from(entries.map((entry) => `${formatOtpauthUri(entry)}\n`).join(''), 'utf8');
}
