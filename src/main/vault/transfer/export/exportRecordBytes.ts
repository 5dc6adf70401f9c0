// The JSON inside each sealed record of a Latchkey export, as services/vault/vaultRecords.ts writes it (kind entry, group).

import type { VaultEntry, VaultGroup } from '../../entries/index.js';

/**
 * `{"kind":"entry", ...fields}` or `{"kind":"group", ...fields}`, the id left out (the record's UUID is the id),
 * byte for byte what the app writes (docs/vault-format.md, "What a record holds"), so the app and the decryptor read an
 * export as they read a vault. Kept here because a domain does not import the services; a test compares the two.
 * The caller zeroes the bytes (an entry's hold its secret).
 */
export function exportRecordBytes(record: { kind: 'entry'; entry: VaultEntry } | { kind: 'group'; group: VaultGroup }) {
  const { id: _id, ...fields } = record.kind === 'entry' ? record.entry : record.group;
  return Buffer.from(JSON.stringify({ kind: record.kind, ...fields }), 'utf8');
}
