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
import { openEntriesUsing } from '../../vault/file/entryRecords.js';
import { NO_OPEN_CACHE, openOpenCache, type CacheValues, type OpenCache } from '../../vault/file/openCache.js';
import type { UnlockedVault } from '../../vault/slots/unlock.js';

/** The record kinds this version writes and reads. */
export type VaultRecordKind = 'entry' | 'group' | 'icon';

/**
 * `{"kind":"entry", ...the entry's fields}`, flat rather than nested, because the sync merge reads an HOTP entry's
 * `otp_type` and `counter` at the top level of the record (docs/vault-format.md, "Sync"). The id is left out: the record's
 * UUID is the id, bound to the ciphertext as additional data, so the two can never disagree. The caller zeroes the bytes.
 */
export function encodeEntryRecord(entry: VaultEntry): Buffer {
  return Buffer.from(JSON.stringify(entryRecordValue(entry)), 'utf8');
}

function entryRecordValue(entry: VaultEntry): Record<string, unknown> {
  const { id: _id, ...fields } = entry;
  return { kind: 'entry', ...fields };
}

/** `{"kind":"group", "name": ..., ...}`, the id left out as for entries. The caller zeroes the bytes. */
export function encodeGroupRecord(group: VaultGroup): Buffer {
  return Buffer.from(JSON.stringify(groupRecordValue(group)), 'utf8');
}

function groupRecordValue(group: VaultGroup): Record<string, unknown> {
  const { id: _id, ...fields } = group;
  return { kind: 'group', ...fields };
}

/** One decoded record. */
export type VaultRecord =
  { kind: 'entry'; entry: VaultEntry } | { kind: 'group'; group: VaultGroup } | { kind: 'icon'; icon: VaultIcon };

/** `{"kind":"icon", "mime": ..., "data": <base64>, ...}`, the id left out as for entries. */
export function encodeIconRecord(icon: VaultIcon): Buffer {
  return Buffer.from(JSON.stringify(iconRecordValue(icon)), 'utf8');
}

function iconRecordValue(icon: VaultIcon): Record<string, unknown> {
  const { id: _id, ...fields } = icon;
  return { kind: 'icon', ...fields };
}

/**
 * An entry as the open cache spells it: its fields in this order, without their names (a JSON array parses in about
 * two thirds of the time of the same object, and 10,000 entries open in one parse). Groups and icons, few and rare,
 * keep the record's own spelling. Any change here must raise CACHE_LAYOUT.
 */
type CachedEntryFields = [
  kind: 'e',
  otp_type: VaultEntry['otp_type'],
  service: string,
  account: string,
  secret: string,
  digits: number,
  algorithm: VaultEntry['algorithm'],
  period: number | null,
  counter: number | null,
  icon: string | null,
  groups: string[],
  order: number,
  created_at: string,
  updated_at: string,
  note: string,
  favourite: boolean | null,
];
const CACHE_LAYOUT = 1;

function cachedEntryFields(e: VaultEntry): CachedEntryFields {
  return [
    'e',
    e.otp_type,
    e.service,
    e.account,
    e.secret,
    e.digits,
    e.algorithm,
    e.period,
    e.counter,
    e.icon,
    e.groups,
    e.order,
    e.created_at,
    e.updated_at,
    e.note,
    e.favourite ?? null,
  ];
}

/**
 * The entry a cache item spells. Not checked again: only this vault's master key can seal a cache (AES-GCM with the
 * vault, epoch and CACHE_LAYOUT bound), and only entries this version had already read and checked are written to it.
 */
function entryFromCache(id: string, f: CachedEntryFields): VaultEntry {
  const entry: VaultEntry = {
    id,
    otp_type: f[1],
    service: f[2],
    account: f[3],
    secret: f[4],
    digits: f[5],
    algorithm: f[6],
    period: f[7],
    counter: f[8],
    icon: f[9],
    groups: f[10],
    order: f[11],
    created_at: f[12],
    updated_at: f[13],
    note: f[14],
  } as VaultEntry;
  // Set after rather than spread in: a spread in a literal takes V8's slow path, on every entry.
  if (f[15] !== null) entry.favourite = f[15];
  return entry;
}

/** What the open cache keeps of each record of an open vault (sealOpenCache's `values`). */
export function cacheValues(content: VaultContent, icons: ReadonlyMap<string, VaultIcon>): CacheValues {
  return {
    layout: CACHE_LAYOUT,
    valueOf(id) {
      const entry = content.entries.get(id);
      if (entry) return cachedEntryFields(entry);
      const group = content.groups.get(id);
      if (group) return groupRecordValue(group);
      const icon = icons.get(id);
      return icon ? iconRecordValue(icon) : undefined;
    },
  };
}

/** The records of an open cache file this version wrote, or undefined for a cache it cannot use (openOpenCache). */
export function readOpenCache(vault: UnlockedVault, data: Uint8Array): OpenCache | undefined {
  return openOpenCache(vault, data, CACHE_LAYOUT);
}

function decodeCachedValue(id: string, value: unknown): VaultRecord {
  if (Array.isArray(value) && value.length === 16 && value[0] === 'e')
    return { kind: 'entry', entry: entryFromCache(id, value as CachedEntryFields) };
  return decodeRecordValue(id, value);
}

/**
 * Reads one record's JSON bytes, then zeroes them (they hold the entry's secret). A record that is not JSON, has no
 * known `kind` or fails its schema is damage, reported by the record's id and the failing member, never its content.
 */
export function decodeRecord(id: string, data: Uint8Array): VaultRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    throw new VaultDamagedError({ part: `record ${id}`, problem: 'is not JSON text' });
  } finally {
    zeroize(data);
  }
  return decodeRecordValue(id, raw);
}

/** A record's JSON value (decrypted and parsed, or from the open cache), checked as decodeRecord says. */
function decodeRecordValue(id: string, raw: unknown): VaultRecord {
  const part = `record ${id}`;
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
 * Every live record of an unlocked vault as VaultContent, from the open cache where it holds a record's current write
 * (`cache`, openOpenCache's), else decrypted; `decrypted` counts the latter, which says when the cache is worth
 * writing again. A group id an entry names but no group record has (a group deleted on one desktop while another put
 * the entry in it, then merged) is dropped: the entry outlives the group, as deleteGroup itself would have left it.
 */
export function readVaultRecords(
  vault: UnlockedVault,
  cache: OpenCache = NO_OPEN_CACHE,
): { content: VaultContent; icons: Map<string, VaultIcon>; decrypted: number } {
  const entries = new Map<string, VaultEntry>();
  const groups = new Map<string, VaultGroup>();
  const icons = new Map<string, VaultIcon>();
  const keep = (id: string, record: VaultRecord) => {
    if (record.kind === 'entry') entries.set(id, record.entry);
    else if (record.kind === 'group') groups.set(id, record.group);
    else icons.set(id, record.icon);
  };
  const opened = openEntriesUsing(vault, cache, (id, value) => keep(id, decodeCachedValue(id, value)));
  try {
    for (const { id, data } of opened) keep(id, decodeRecord(id, data));
  } finally {
    for (const { data } of opened) zeroize(data);
  }
  for (const [id, entry] of entries) {
    // Checked before it is filtered: a copy of every entry's list cost more than the rest of opening from the cache.
    if (entry.groups.every((g) => groups.has(g))) continue;
    entries.set(id, { ...entry, groups: entry.groups.filter((g) => groups.has(g)) });
  }
  return { content: { entries, groups }, icons, decrypted: opened.length };
}

/** The entries and groups of an open vault (its icons are readVaultRecords'). */
export function readVaultContent(vault: UnlockedVault): VaultContent {
  return readVaultRecords(vault).content;
}
