// Gathers a reader's results one entry at a time: each entry checked on its own, so one bad entry never stops the rest.

import { checkEntry, VaultEntryError, type EntryInput, type VaultEntryFields } from '../../entries/index.js';
import { quoteForMessage } from '../../../text/quoteForMessage.js';
import type { ImportedEntry, ImportFormat, NotImported, ParsedImport } from './importTypes.js';

/** What a reader knows about an entry beyond its fields. The note is checked with the fields (its length). */
export type EntryExtras = Partial<Omit<ImportedEntry, 'input' | 'source'>>;

export class ImportCollector {
  private readonly entries: ImportedEntry[] = [];
  private readonly notImported: NotImported[] = [];

  /**
   * Checks `input` through checkEntry and keeps it, or lists it as not imported with checkEntry's sentence (which
   * names the field and never quotes the secret). Anything but a VaultEntryError is a bug and goes up.
   */
  add(source: string, input: EntryInput, extras: EntryExtras = {}): void {
    this.addParsed(source, () => checkEntry({ ...input, note: extras.note ?? input.note, icon: undefined }), {
      ...extras,
      note: undefined,
    });
  }

  /** Keeps the fields `parse` returns, checked already (parseOtpauthUri's), or lists its VaultEntryError's sentence. */
  addParsed(source: string, parse: () => VaultEntryFields, extras: EntryExtras = {}): void {
    let fields: VaultEntryFields;
    try {
      fields = parse();
      if (extras.note) fields = checkEntry({ ...fields, note: extras.note });
    } catch (error) {
      if (!(error instanceof VaultEntryError)) throw error;
      this.refuse(source, error.message);
      return;
    }
    const entry: ImportedEntry = { input: fields, groups: extras.groups ?? [], source };
    if (fields.note !== '') entry.note = fields.note;
    if (extras.favourite !== undefined) entry.favourite = extras.favourite;
    if (extras.icon !== undefined) entry.icon = extras.icon;
    if (extras.warnings?.length) entry.warnings = extras.warnings;
    this.entries.push(entry);
  }

  refuse(source: string, reason: string): void {
    this.notImported.push({ source, reason });
  }

  result(format: ImportFormat): ParsedImport {
    return { format, entries: this.entries, notImported: this.notImported };
  }
}

/**
 * `entry 5 (GitHub)`: the position counted from 1 and the name the file gives, spelled safely (invisible characters
 * written out, long names shortened) because it comes from the file.
 */
export function entrySource(position: number, name: unknown, kind = 'entry'): string {
  if (typeof name !== 'string' || name.trim() === '') return `${kind} ${position}`;
  const quoted = quoteForMessage(name.trim());
  const plain = /^"(.*)"$/s.exec(quoted);
  return `${kind} ${position} (${plain ? plain[1] : quoted})`;
}
