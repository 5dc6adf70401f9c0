// An entry and its groups in words, for `entry show`, `entry add` and `entry edit`: never the secret.

import type { EntrySummary } from '../../services/vault/index.js';
import type { VaultGroup } from '../../vault/index.js';

/** "GitHub (ada@example.org)", or the service alone. */
export function entryTitle(entry: Pick<EntrySummary, 'service' | 'account'>): string {
  return entry.account ? `${entry.service} (${entry.account})` : entry.service;
}

/** "totp, 6 digits, sha1, every 30 s", "hotp, 8 digits, sha256, next counter 7", "steam". */
export function entryKind(entry: EntrySummary): string {
  if (entry.otp_type === 'steamtotp') return 'steam';
  const base = `${entry.otp_type}, ${entry.digits} digits, ${entry.algorithm}`;
  return entry.otp_type === 'hotp' ? `${base}, next counter ${entry.counter}` : `${base}, every ${entry.period} s`;
}

/** The group names of an entry, in the order it was put in them. */
export function groupNames(entry: EntrySummary, groups: readonly VaultGroup[]): string[] {
  return entry.groups.map((id) => groups.find((g) => g.id === id)?.name ?? id);
}

export function formatEntry(entry: EntrySummary, groups: readonly VaultGroup[]): string[] {
  const names = groupNames(entry, groups);
  return [
    entryTitle(entry),
    `  id         ${entry.id}`,
    `  type       ${entryKind(entry)}`,
    `  groups     ${names.length ? names.join(', ') : 'none'}`,
    ...(entry.note ? [`  note       ${shownNote(entry.note)}`] : []),
    `  added      ${entry.created_at}`,
    `  changed    ${entry.updated_at}`,
  ];
}

/**
 * A note may hold any character but a terminal would obey its control characters (an escape sequence can rewrite the
 * screen): each is shown as U+FFFD, and continued lines are indented under the first.
 */
function shownNote(note: string): string {
  return note.replace(/[^\P{Cc}\n]/gu, '\uFFFD').replace(/\n/g, '\n             ');
}

/** Left-aligned columns with two spaces between them, the last one unpadded. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length)))
      .join('  ')
      .trimEnd(),
  );
}
