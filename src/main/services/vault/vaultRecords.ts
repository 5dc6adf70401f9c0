// The JSON inside each sealed vault record: an entry or a group, told apart by `kind`, and decoded back into VaultContent.

import { zeroize } from '../../secrets/zeroize.js';
import {
  vaultEntrySchema,
  vaultGroupSchema,
  vaultIconSchema,
  type VaultIcon,
  type VaultContent,
  type VaultEntry,
  type VaultGroup,
} from '../../vault/entries/index.js';
import { VaultDamagedError } from '../../vault/errors/VaultDamagedError.js';
import { storedEntryFastPath } from '../../vault/entries/storedEntryFastPath.js';
import { openEntries } from '../../vault/file/entryRecords.js';
import type { UnlockedVault } from '../../vault/slots/unlock.js';

/** The record kinds this version writes and reads. */
export type VaultRecordKind = 'entry' | 'group' | 'icon';

/**
 * `{"kind":"entry", ...the entry's fields}`, flat rather than nested, because the sync merge reads an HOTP entry's
 * `otp_type` and `counter` at the top level of the record (docs/vault-format.md, "Sync"). The id is left out: the record's
 * UUID is the id, bound to the ciphertext as additional data, so the two can never disagree. The caller zeroes the bytes.
 */
export function encodeEntryRecord(entry: VaultEntry): Buffer {
  const { id: _id, ...fields } = entry;
  return Buffer.from(JSON.stringify({ kind: 'entry', ...fields }), 'utf8');
}

/** `{"kind":"group", "name": ..., ...}`, the id left out as for entries. The caller zeroes the bytes. */
export function encodeGroupRecord(group: VaultGroup): Buffer {
  const { id: _id, ...fields } = group;
  return Buffer.from(JSON.stringify({ kind: 'group', ...fields }), 'utf8');
}

/** One decoded record. */
export type VaultRecord =
  { kind: 'entry'; entry: VaultEntry } | { kind: 'group'; group: VaultGroup } | { kind: 'icon'; icon: VaultIcon };

/** `{"kind":"icon", "mime": ..., "data": <base64>, ...}`, the id left out as for entries. */
export function encodeIconRecord(icon: VaultIcon): Buffer {
  const { id: _id, ...fields } = icon;
  return Buffer.from(JSON.stringify({ kind: 'icon', ...fields }), 'utf8');
}

/**
 * Reads one record's JSON bytes, then zeroes them (they hold the entry's secret). A record that is not JSON, has no
 * known `kind` or fails its schema is damage, reported by the record's id and the failing member, never its content.
 */
export function decodeRecord(id: string, data: Uint8Array): VaultRecord {
  const part = `record ${id}`;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    throw new VaultDamagedError({ part, problem: 'is not JSON text' });
  } finally {
    zeroize(data);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new VaultDamagedError({ part, problem: 'is not a JSON object' });
  const { kind, ...fields } = raw as Record<string, unknown>;
  if (kind === 'entry')
    return { kind, entry: storedEntryFastPath(id, fields) ?? parseWith(vaultEntrySchema, id, fields, part) };
  if (kind === 'group') return { kind, group: parseWith(vaultGroupSchema, id, fields, part) };
  if (kind === 'icon') return { kind, icon: parseWith(vaultIconSchema, id, fields, part) };
  throw new VaultDamagedError({
    part,
    problem: `has kind ${typeof kind === 'string' ? JSON.stringify(kind.slice(0, 20)) : typeof kind}, expected "entry", "group" or "icon"`,
  });
}

function parseWith<T>(
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[] }[] } };
  },
  id: string,
  fields: Record<string, unknown>,
  part: string,
): T {
  const parsed = schema.safeParse({ ...fields, id });
  if (parsed.success) return parsed.data;
  // The path only: a zod message may quote the value, and the value may be the secret.
  const path = parsed.error.issues[0]?.path.map(String).join('.') || '(root)';
  throw new VaultDamagedError({ part, problem: `fails the format at member ${path}` });
}

/**
 * Every live record of an unlocked vault as VaultContent. A group id an entry names but no group record has (a group
 * deleted on one desktop while another put the entry in it, then merged) is dropped: the entry outlives the group, as
 * deleteGroup itself would have left it.
 */
export function readVaultRecords(vault: UnlockedVault): { content: VaultContent; icons: Map<string, VaultIcon> } {
  const records = openEntries(vault);
  const entries = new Map<string, VaultEntry>();
  const groups = new Map<string, VaultGroup>();
  const icons = new Map<string, VaultIcon>();
  try {
    for (const { id, data } of records) {
      const record = decodeRecord(id, data);
      if (record.kind === 'entry') entries.set(id, record.entry);
      else if (record.kind === 'group') groups.set(id, record.group);
      else icons.set(id, record.icon);
    }
  } finally {
    for (const { data } of records) zeroize(data);
  }
  for (const [id, entry] of entries) {
    const known = entry.groups.filter((g) => groups.has(g));
    if (known.length !== entry.groups.length) entries.set(id, { ...entry, groups: known });
  }
  return { content: { entries, groups }, icons };
}

/** The entries and groups of an open vault (its icons are readVaultRecords'). */
export function readVaultContent(vault: UnlockedVault): VaultContent {
  return readVaultRecords(vault).content;
}
