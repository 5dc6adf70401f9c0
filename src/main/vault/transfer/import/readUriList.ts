// Reads a text file of URIs, one per line: otpauth:// (2FAuth's .txt, Ente Auth and many others) and Google transfers.

import { parseOtpauthUri } from '../../entries/index.js';
import type { EntryExtras, ImportCollector } from './ImportCollector.js';
import { ImportError } from './ImportError.js';
import { jsonKind, isJsonObject } from './jsonValues.js';
import { parseImportJson } from './parseImportJson.js';
import { readGoogleMigration, type UriLine } from './readGoogleMigration.js';

const OTPAUTH = /^otpauth:\/\//i;
const MIGRATION = /^otpauth-migration:\/\//i;

/** Whether a trimmed line is a URI this reader takes: the test detectFormat uses too. */
export function uriKind(line: string): 'otpauth' | 'migration' | undefined {
  if (OTPAUTH.test(line)) return 'otpauth';
  if (MIGRATION.test(line)) return 'migration';
  return undefined;
}

/**
 * Adds every line's entry to `collector`; blank lines are skipped and any other line is listed as not imported
 * (without quoting it: it may be a secret). Ente Auth's `codeDisplay` parameter (JSON) gives tags as groups, `pinned`
 * as favourite and the note; an entry Ente has in its trash is not imported. Transfer URIs are read together at the
 * end, so the QR codes of one transfer join whatever lines they are on.
 */
export function readUriList(lines: readonly string[], collector: ImportCollector): void {
  const transfers: UriLine[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const source = `line ${i + 1}`;
    if (line === '') return;
    const kind = uriKind(line);
    if (kind === 'migration') transfers.push({ line: i + 1, uri: line });
    else if (kind === 'otpauth') {
      const ente = line.includes('codeDisplay=') ? enteExtras(line) : {};
      if (ente.trashed) collector.refuse(source, "the entry is in Ente Auth's trash (codeDisplay trashed is true)");
      else collector.addParsed(source, () => parseOtpauthUri(line), ente.extras);
    } else collector.refuse(source, 'the line is not an otpauth:// or otpauth-migration:// URI');
  });
  if (transfers.length) readGoogleMigration(transfers, collector);
}

/** Ente Auth's codeDisplay: `{"pinned":false,"trashed":false,"tags":[],"note":"",...}`. */
function enteExtras(line: string): { extras?: EntryExtras; trashed?: boolean } {
  let text: string | null;
  try {
    text = new URL(line).searchParams.get('codeDisplay');
  } catch {
    return {};
  }
  if (text === null) return {};
  let display: unknown;
  try {
    display = parseImportJson(text, 'the codeDisplay parameter');
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    return { extras: { warnings: [`${error.message}: its tags, pin and note were left out`] } };
  }
  if (!isJsonObject(display))
    return { extras: { warnings: [`the codeDisplay parameter is ${jsonKind(display)}, expected an object`] } };
  const tags = Array.isArray(display.tags) ? display.tags.filter((t): t is string => typeof t === 'string') : [];
  const extras: EntryExtras = { groups: tags.map((t) => t.trim()).filter((t) => t !== '') };
  if (typeof display.pinned === 'boolean') extras.favourite = display.pinned;
  if (typeof display.note === 'string') extras.note = display.note;
  return { extras, trashed: display.trashed === true };
}
