// The unlocked vault as the app and the CLI use it: entries, groups and codes in memory, every change one atomic write.

import { randomUUID } from 'node:crypto';
import { zeroize } from '../../secrets/zeroize.js';
import type { HybridLogicalClock } from '../../vault/clock/HybridLogicalClock.js';
import {
  assignGroup,
  buildSearchIndex,
  checkEntry,
  createGroup,
  deleteGroup,
  editEntry,
  findEntry,
  findGroup,
  formatOtpauthUri,
  newEntry,
  nextHotpCode,
  parseOtpauthUri,
  renameGroup,
  searchEntries,
  timedCode,
  unassignGroup,
  VaultEntryError,
  vaultIconSchema,
  type EntryInput,
  type SearchIndex,
  type TimedCode,
  type VaultContent,
  type VaultEntry,
  type VaultGroup,
  type VaultIcon,
} from '../../vault/entries/index.js';
import type { IconImage } from '../../vault/transfer/export/index.js';
import { quoteValue } from '../../vault/entries/quoteValue.js';
import { foldForSearch } from '../../vault/entries/foldForSearch.js';
import { previewImport, type ImportPreview, type ParsedImport } from '../../vault/transfer/import/index.js';
import { writeVaultFile } from '../../vault/file/vaultFileIo.js';
import { lockVault } from '../../vault/slots/lockVault.js';
import type { UnlockedVault } from '../../vault/slots/unlock.js';
import { entrySummary, type EntrySummary } from './entrySummary.js';
import { findDuplicates, type DuplicateReason } from './findDuplicates.js';
import { VaultLockedError } from './VaultLockedError.js';
import { cacheValues, readOpenCache, readVaultRecords } from './vaultRecords.js';
import { sealOpenCache } from '../../vault/file/openCache.js';
import { withRecords } from '../../vault/file/entryRecords.js';
import { sealContentChanges, sealIconChanges, type IconChanges } from './sealContentChanges.js';
import type { VaultHeader } from '../../vault/crypto/additionalData.js';
import type { EntryRecord } from '../../vault/file/vaultFileSchema.js';
import type { VaultBody } from '../../vault/file/vaultText.js';

export interface OpenVaultOptions {
  /** The vault file: every change is written to it whole, atomically, before it is applied in memory. */
  file: string;
  /** The unlocked vault. The OpenVault takes its master key over and zeroes it on lock(). */
  vault: UnlockedVault;
  /** This install's clock: each record written gets a tick. */
  clock: HybridLogicalClock;
  /** Backups kept by each write (writeVaultFile's option). @default 5 */
  backups?: number;
  /** The time written as created_at/updated_at and used for codes. @default () => new Date() */
  now?: () => Date;
  /**
   * Writes the file; the session's writer also refuses to overwrite another process's newer write. @default
   * writeVaultFile with `backups`
   */
  write?: (file: string, body: UnlockedVault['body']) => Promise<void>;
  /**
   * The open cache (docs/vault-format.md, "The open cache"): its file's bytes as last written, if any, and how to write
   * it again, which the vault does once more than OPEN_CACHE_SLACK records are read without it. @default no cache
   */
  openCache?: { bytes: Uint8Array | undefined; write(bytes: Buffer): Promise<void> };
  /**
   * The journal (docs/vault-format.md, "The journal"). A change of at most JOURNAL_MAX_RECORDS records is appended to
   * it, and is durable once `append` resolves; the vault file is then written whole (through `write`, which removes the
   * journal) `foldAfterMs` after the first change it does not hold yet, at once past JOURNAL_FOLD_RECORDS records, and
   * on settled() and lock(). Without it every change is a whole write. @default no journal
   */
  journal?: VaultJournal;
}

export interface VaultJournal {
  /** Appends one change's records, sealed under `header`'s vault and epoch, durably. */
  append(header: VaultHeader, records: Readonly<Record<string, EntryRecord>>): Promise<void>;
  /** @default 1000 */
  foldAfterMs?: number;
  /**
   * A write of the journal's changes into the file failed (they stay durable in the journal, and the next change,
   * settled() or the next open folds them); a VaultChangedError means another writer took them in already.
   */
  foldFailed(error: unknown): void;
}

/**
 * Past this many records, a change is written whole rather than journaled: an import would otherwise append megabytes
 * that the fold then writes again.
 */
export const JOURNAL_MAX_RECORDS = 64;

/** Records in the journal past which it is folded at once, so that it stays small and the next open quick. */
export const JOURNAL_FOLD_RECORDS = 512;

/**
 * Records read without the cache (changed since it was written) past which it is written again: each costs about 10
 * µs at the next open, while writing the cache of 10,000 entries costs about 30 ms. A vault this small never has one.
 */
export const OPEN_CACHE_SLACK = 256;

export interface AddEntryOptions {
  /** Fields laid over the input's, e.g. a note for an entry read from an otpauth URI (which carries none). @default {} */
  extra?: EntryInput;
  /** Group ids the new entry goes in. @default [] */
  groups?: readonly string[];
  /** Add it even when an entry holds the same secret or the same service and account. @default false */
  allowDuplicate?: boolean;
}

/** One entry an import adds: checkEntry's input (2FAuth's field names), the names of its groups, a note. */
export interface ImportCandidate {
  input: EntryInput;
  groups: readonly string[];
  note?: string;
  /** Pinned to the top of the list (an Aegis favourite). */
  favourite?: boolean;
  /** The entry's picture, kept in the vault as an icon record; the entry's `icon` then names it. */
  icon?: { mime: string; data: Uint8Array };
}

export interface ImportedEntries {
  added: EntrySummary[];
  /** The groups the import named that did not exist yet. */
  createdGroups: VaultGroup[];
}

export interface AddedEntry {
  entry: EntrySummary;
  /** Existing entries the new one duplicates (only with allowDuplicate; otherwise the add is refused). */
  duplicates: { entry: EntrySummary; reason: DuplicateReason }[];
}

/** A code of a time-based entry; `code` is null for HOTP (its code needs nextHotp) and for an entry with no code. */
export interface EntryCode {
  entry: EntrySummary;
  code: TimedCode | null;
  /** Why there is no code, for an entry that is not HOTP (md5, whose digest RFC 4226 cannot truncate). */
  problem: string | null;
}

export interface HotpCode {
  code: string;
  /** The counter the code was made with. */
  usedCounter: number;
  /** The entry as stored, its counter already advanced. */
  entry: EntrySummary;
}

export interface SecretReveal {
  /** Base32, as stored. */
  secret: string;
  /** The otpauth:// URI of the entry, for a QR code or another app. */
  uri: string;
}

export class OpenVault {
  readonly #file: string;
  readonly #clock: HybridLogicalClock;
  readonly #backups: number;
  readonly #now: () => Date;
  readonly #write: (file: string, body: UnlockedVault['body']) => Promise<void>;
  #vault: UnlockedVault | undefined;
  #content: VaultContent;
  /** The pictures entries refer to by id (an entry's `icon`), kept as records of their own. */
  #icons: Map<string, VaultIcon>;
  #index: SearchIndex | undefined;
  /** The tail of the write queue: each change starts from the state the previous one left. */
  #tail: Promise<unknown> = Promise.resolve();
  readonly #writeCache: ((bytes: Buffer) => Promise<void>) | undefined;
  /** Records the next open would decrypt one by one: read without the cache, or written since it was. */
  #uncached: number;
  #cacheQueued = false;
  readonly #journal: VaultJournal | undefined;
  /** Records journaled since the file was last written whole: the file lacks them until the fold. */
  #journaled = 0;
  /**
   * The vault body as the last change left it, held past lock() too: a change under way when the vault locks still
   * journals its records, and the fold queued by lock() must write them (the body is sealed: no secret in the clear).
   */
  #body: VaultBody;
  #foldTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(options: OpenVaultOptions, read: ReturnType<typeof readVaultRecords>) {
    const { content, icons } = read;
    this.#file = options.file;
    this.#clock = options.clock;
    this.#backups = options.backups ?? 5;
    this.#now = options.now ?? (() => new Date());
    this.#write = options.write ?? ((file, body) => writeVaultFile(file, body, { backups: this.#backups }));
    this.#vault = options.vault;
    this.#content = content;
    this.#icons = icons;
    this.#writeCache = options.openCache?.write;
    this.#uncached = read.decrypted;
    this.#journal = options.journal;
    this.#body = options.vault.body;
    this.#keepCache();
  }

  /**
   * Decodes every record, those the open cache holds from it; throws VaultDamagedError (naming the record) for one that
   * does not decode. A cache that does not open (damaged, of another vault or version) is passed over.
   */
  static open(options: OpenVaultOptions): OpenVault {
    const bytes = options.openCache?.bytes;
    const cache = bytes ? readOpenCache(options.vault, bytes) : undefined;
    return new OpenVault(options, readVaultRecords(options.vault, cache));
  }

  get locked(): boolean {
    return this.#vault === undefined;
  }

  /**
   * Zeroes the master key; every later call throws VaultLockedError. A write already under way still finishes, and the
   * journal's changes are folded into the file (which takes no key: the records are sealed): settled() waits for it.
   */
  lock(): void {
    if (!this.#vault) return;
    if (this.#journaled > 0) this.#queueFold();
    lockVault(this.#vault);
    this.#vault = undefined;
    this.#content = { entries: new Map(), groups: new Map() };
    this.#icons = new Map();
    this.#index = undefined;
  }

  /** Every entry, in list order, without secrets. */
  entries(): EntrySummary[] {
    return this.#search().rows.map((row) => entrySummary(row.entry));
  }

  /** One entry without its secret, or VaultEntryError `unknown-id`. */
  entry(id: string): EntrySummary {
    return entrySummary(findEntry(this.#live(), id));
  }

  /** Every group, by name. */
  groups(): VaultGroup[] {
    return [...this.#live().groups.values()].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  }

  /** One group, or VaultEntryError `unknown-id` with `group` as the field. */
  group(id: string): VaultGroup {
    return findGroup(this.#live(), id);
  }

  /** Entries whose service, account or group names contain every word of `query` (searchEntries), in list order. */
  search(query: string): EntrySummary[] {
    return searchEntries(this.#search(), query).map(entrySummary);
  }

  /** The secret and otpauth URI of one entry: for an explicit reveal or export only, after the person confirmed it. */
  revealSecret(id: string): SecretReveal {
    const entry = findEntry(this.#live(), id);
    return { secret: entry.secret, uri: formatOtpauthUri(entry) };
  }

  /** The current codes of the entries matching `query` (all by default), in list order. HOTP entries come without one. */
  codes(query = '', now: number = this.#now().getTime()): EntryCode[] {
    return searchEntries(this.#search(), query).map((entry) => {
      if (entry.otp_type === 'hotp') return { entry: entrySummary(entry), code: null, problem: null };
      try {
        return { entry: entrySummary(entry), code: timedCode({ entry, now }), problem: null };
      } catch (error) {
        if (!(error instanceof VaultEntryError)) throw error;
        return { entry: entrySummary(entry), code: null, problem: error.message };
      }
    });
  }

  /**
   * The current codes of the entries `ids` (those a window shows), in that order; HOTP entries and unknown ids are
   * left out (an HOTP code is made only by nextHotp, which writes first).
   */
  timedCodes(ids: readonly string[], now: number = this.#now().getTime()): { id: string; code: TimedCode }[] {
    const content = this.#live();
    return ids.flatMap((id) => {
      const entry = content.entries.get(id);
      if (!entry || entry.otp_type === 'hotp') return [];
      try {
        return [{ id, code: timedCode({ entry, now }) }];
      } catch (error) {
        if (error instanceof VaultEntryError) return [];
        throw error;
      }
    });
  }

  /**
   * Adds an entry from fields (checkEntry's input) or an otpauth:// URI, last in the list. An entry with the same secret,
   * or the same service and account, is refused as a `duplicate` unless `allowDuplicate`.
   */
  async addEntry(input: EntryInput | string, options: AddEntryOptions = {}): Promise<AddedEntry> {
    return this.#change((content, now) => {
      const given = typeof input === 'string' ? parseOtpauthUri(input) : input;
      const fields = checkEntry({ ...given, ...options.extra });
      const duplicates = findDuplicates(content, fields);
      const first = duplicates[0];
      if (first && options.allowDuplicate !== true)
        throw new VaultEntryError(
          'entry',
          'duplicate',
          first.reason === 'same-secret'
            ? `the entry ${describe(first.entry)} already holds this secret`
            : `the entry ${describe(first.entry)} has the same service and account (with another secret)`,
        );
      const order = Math.max(-1, ...[...content.entries.values()].map((e) => e.order)) + 1;
      const entry = newEntry({ input: fields, now, order });
      let next: VaultContent = { entries: new Map(content.entries).set(entry.id, entry), groups: content.groups };
      for (const groupId of options.groups ?? []) next = assignGroup(next, { entryId: entry.id, groupId, now });
      return {
        content: next,
        result: {
          entry: entrySummary(next.entries.get(entry.id)!),
          duplicates: duplicates.map((d) => ({ entry: entrySummary(d.entry), reason: d.reason })),
        },
      };
    });
  }

  /**
   * Adds many entries in one write (an import the person accepted): all of them or, when one fails its check, none.
   * Groups are named: an existing group of that name (compared as search compares) is used, else it is created.
   * Entries go last in the list, in the order given. Duplicates are the preview's to point out; none is refused here.
   */
  async importEntries(candidates: readonly ImportCandidate[]): Promise<ImportedEntries> {
    return this.#change((content, now) => {
      if (candidates.length === 0) return { content, result: { added: [], createdGroups: [] } };
      // One copy of the entries for the whole import, and groups found by name through a map: copying per entry
      // made 10,000 entries quadratic.
      const entries = new Map(content.entries);
      let groups = content.groups;
      const byName = new Map([...groups.values()].map((g) => [foldForSearch(g.name), g]));
      const added: string[] = [];
      const createdGroups: VaultGroup[] = [];
      const putIcons: VaultIcon[] = [];
      let order = Math.max(-1, ...[...content.entries.values()].map((e) => e.order)) + 1;
      for (const candidate of candidates) {
        let iconId = candidate.input.icon ?? null;
        if (candidate.icon) {
          const icon = vaultIconSchema.parse({
            id: randomUUID(),
            mime: candidate.icon.mime,
            data: Buffer.from(candidate.icon.data).toString('base64'),
            created_at: now.toISOString(),
          });
          putIcons.push(icon);
          iconId = icon.id;
        }
        const entry = newEntry({
          input: { ...candidate.input, icon: iconId, note: candidate.note ?? candidate.input.note },
          now,
          order,
        });
        order += 1;
        const groupIds: string[] = [];
        for (const name of candidate.groups) {
          const folded = foldForSearch(name.trim());
          let group = byName.get(folded);
          if (!group) {
            const made = createGroup({ entries, groups }, { name, now });
            groups = made.content.groups;
            group = made.group;
            byName.set(folded, group);
            createdGroups.push(group);
          }
          if (!groupIds.includes(group.id)) groupIds.push(group.id);
        }
        entries.set(entry.id, {
          ...entry,
          ...(groupIds.length ? { groups: groupIds } : {}),
          ...(candidate.favourite === true ? { favourite: true } : {}),
        });
        added.push(entry.id);
      }
      return {
        content: { entries, groups },
        result: { added: added.map((id) => entrySummary(entries.get(id)!)), createdGroups },
        icons: { put: putIcons, drop: [] },
      };
    });
  }

  /**
   * What an import would do to this vault: the entries to add, the duplicates (same secret, or same service and
   * account, of an entry here or earlier in the file) and what cannot be imported, each with its reason.
   */
  previewImport(parsed: ParsedImport): ImportPreview {
    const existing = [...this.#live().entries.values()].map(({ id, service, account, secret }) => ({
      id,
      service,
      account,
      secret,
    }));
    return previewImport(parsed, existing);
  }

  /**
   * Every entry with its secret and every group, for an export. The caller has asked again who is there
   * (Session.reauthenticate): this is the one way secrets leave the vault in bulk.
   */
  forExport(): { entries: VaultEntry[]; groups: VaultGroup[]; icons: (name: string) => IconImage | undefined } {
    const content = this.#live();
    const entries = [...content.entries.values()].sort((a, b) => a.order - b.order).map((e) => ({ ...e }));
    return {
      entries,
      groups: [...content.groups.values()].map((g) => ({ ...g })),
      icons: (name) => this.icon(name),
    };
  }

  /** Changes fields of an entry (editEntry's rules: checked again as a whole). */
  async editEntry(id: string, changes: EntryInput & { order?: unknown }): Promise<EntrySummary> {
    return this.#change((content, now) => {
      const entry = editEntry({ entry: findEntry(content, id), changes, now });
      return {
        content: { entries: new Map(content.entries).set(id, entry), groups: content.groups },
        result: entrySummary(entry),
      };
    });
  }

  /** Deletes an entry for good: its record becomes a tombstone, which a sync merge never brings back. */
  async removeEntry(id: string): Promise<EntrySummary> {
    return this.#change((content) => {
      const entry = findEntry(content, id);
      const entries = new Map(content.entries);
      entries.delete(id);
      // Its picture goes with it, unless another entry shows the same one.
      const icon = entry.icon !== null && this.#icons.has(entry.icon) ? entry.icon : undefined;
      const shared = icon !== undefined && [...entries.values()].some((e) => e.icon === icon);
      const drop = icon !== undefined && !shared ? [icon] : [];
      return { content: { entries, groups: content.groups }, result: entrySummary(entry), icons: { put: [], drop } };
    });
  }

  /**
   * The next HOTP code. The advanced counter is written first and the code returned only once the write has
   * resolved (nextHotpCode says why); a failed write rejects and shows nothing.
   */
  async nextHotp(id: string): Promise<HotpCode> {
    return this.#change((content, now) => {
      const step = nextHotpCode({ entry: findEntry(content, id), now });
      return {
        content: { entries: new Map(content.entries).set(id, step.entry), groups: content.groups },
        result: { code: step.code, usedCounter: step.usedCounter, entry: entrySummary(step.entry) },
      };
    });
  }

  /** Pins an entry to the top of the list, or unpins it. */
  async setFavourite(id: string, favourite: boolean): Promise<EntrySummary> {
    return this.#change((content, now) => {
      const entry = findEntry(content, id);
      if ((entry.favourite === true) === favourite) return { content, result: entrySummary(entry) };
      const { favourite: _old, ...rest } = entry;
      const next = { ...rest, ...(favourite ? { favourite: true } : {}), updated_at: now.toISOString() };
      return {
        content: { entries: new Map(content.entries).set(id, next), groups: content.groups },
        result: entrySummary(next),
      };
    });
  }

  /**
   * Gives an entry its own picture (PNG, JPEG, WebP, BMP or SVG, at most 1 MiB, checked by vaultIconSchema), or takes
   * it away with null; the picture it had goes unless another entry shows it.
   */
  async setIcon(id: string, image: { mime: string; data: Uint8Array } | null): Promise<EntrySummary> {
    return this.#change((content, now) => {
      const entry = findEntry(content, id);
      const put = image
        ? [
            vaultIconSchema.parse({
              id: randomUUID(),
              mime: image.mime,
              data: Buffer.from(image.data).toString('base64'),
              created_at: now.toISOString(),
            }),
          ]
        : [];
      const old = entry.icon !== null && this.#icons.has(entry.icon) ? entry.icon : undefined;
      const shared = old !== undefined && [...content.entries.values()].some((e) => e.id !== id && e.icon === old);
      const next = { ...entry, icon: put[0]?.id ?? null, updated_at: now.toISOString() };
      return {
        content: { entries: new Map(content.entries).set(id, next), groups: content.groups },
        result: entrySummary(next),
        icons: { put, drop: old !== undefined && !shared ? [old] : [] },
      };
    });
  }

  /**
   * Manual order: `ids` first, in that order, then every other entry in the order it had. Unknown ids are refused
   * (VaultEntryError `unknown-id`) before anything changes.
   */
  async reorder(ids: readonly string[]): Promise<void> {
    return this.#change((content, now) => {
      for (const id of ids) findEntry(content, id);
      const named = new Set(ids);
      const rest = [...content.entries.values()].filter((e) => !named.has(e.id)).sort((a, b) => a.order - b.order);
      const order = [...new Set(ids)].map((id) => content.entries.get(id)!).concat(rest);
      const moved = order.flatMap((entry, position) =>
        entry.order === position ? [] : [{ ...entry, order: position, updated_at: now.toISOString() }],
      );
      if (moved.length === 0) return { content, result: undefined };
      const entries = new Map(content.entries);
      for (const entry of moved) entries.set(entry.id, entry);
      return { content: { entries, groups: content.groups }, result: undefined };
    });
  }

  async createGroup(name: unknown): Promise<VaultGroup> {
    return this.#change((content, now) => {
      const { content: next, group } = createGroup(content, { name, now });
      return { content: next, result: group };
    });
  }

  async renameGroup(id: string, name: unknown): Promise<VaultGroup> {
    return this.#change((content, now) => {
      const next = renameGroup(content, { id, name, now });
      return { content: next, result: next.groups.get(id)! };
    });
  }

  /** Deletes a group; its entries stay. Resolves with the group and how many entries were in it. */
  async deleteGroup(id: string): Promise<{ group: VaultGroup; entries: number }> {
    return this.#change((content, now) => {
      const group = findGroup(content, id);
      const entries = [...content.entries.values()].filter((e) => e.groups.includes(id)).length;
      return { content: deleteGroup(content, { id, now }), result: { group, entries } };
    });
  }

  /** Puts an entry in a group; already in it, nothing is written. */
  async assignGroup(entryId: string, groupId: string): Promise<EntrySummary> {
    return this.#change((content, now) => {
      const next = assignGroup(content, { entryId, groupId, now });
      return { content: next, result: entrySummary(next.entries.get(entryId)!) };
    });
  }

  /** Takes an entry out of a group; not in it, nothing is written. */
  async unassignGroup(entryId: string, groupId: string): Promise<EntrySummary> {
    return this.#change((content, now) => {
      const next = unassignGroup(content, { entryId, groupId, now });
      return { content: next, result: entrySummary(next.entries.get(entryId)!) };
    });
  }

  /**
   * Replaces the unlocked vault (after a slot change, a new master key): `change` gets the current one, in turn with
   * the entry changes, so none is lost, and returns the next; it is written, then held. A master key replaced by
   * another buffer is zeroed. The next vault must be the same vault and must decode.
   */
  async updateVault(change: (current: UnlockedVault) => UnlockedVault | Promise<UnlockedVault>): Promise<void> {
    return this.#serialize(async () => {
      const current = this.#unlocked();
      const next = await change(current);
      if (this.#vault !== current) {
        if (next.master !== current.master) zeroize(next.master);
        throw new VaultLockedError();
      }
      if (next.body.vault !== current.body.vault)
        throw new RangeError(
          `updateVault got vault ${next.body.vault}, expected the open vault ${current.body.vault}: another vault is opened, not swapped in`,
        );
      const { content, icons, decrypted } = readVaultRecords(next);
      await this.#writeWhole(next.body);
      if (this.#vault !== current) {
        // Locked while the file was written: lock() zeroed the old key; the new one must not outlive it.
        if (next.master !== current.master) zeroize(next.master);
        return;
      }
      if (next.master !== current.master) zeroize(current.master);
      this.#vault = next;
      this.#content = content;
      this.#icons = icons;
      this.#index = undefined;
      this.#uncached = decrypted;
      this.#keepCache();
    });
  }

  /** The unlocked vault as last written (slots, mode, records); VaultLockedError once locked. */
  get current(): UnlockedVault {
    return this.#unlocked();
  }

  /**
   * Takes in the vault as another writer saved it (same vault, same master key), without writing: in turn with the
   * changes queued before it. A master key held in another buffer is zeroed.
   */
  async reload(next: UnlockedVault, options: { journaled?: boolean } = {}): Promise<void> {
    return this.#serialize(async () => {
      const current = this.#unlocked();
      const { content, icons, decrypted } = readVaultRecords(next);
      if (next.master !== current.master) zeroize(current.master);
      this.#vault = next;
      this.#body = next.body;
      this.#content = content;
      this.#icons = icons;
      this.#index = undefined;
      this.#uncached = decrypted;
      // The other writer's file holds this vault's journaled changes (it read the journal to write it). When `journaled`,
      // the other writer left changes of its own in the journal, applied to `next`: folded here in turn.
      this.#journaled = options.journaled === true ? 1 : 0;
      if (this.#journaled > 0) this.#scheduleFold();
      this.#keepCache();
    });
  }

  /**
   * Writes the vault file whole now, in turn with the changes queued: after an open took in a journal (which the whole
   * write removes), or a slot healed.
   */
  async writeWhole(): Promise<void> {
    return this.#serialize(async () => this.#writeWhole(this.#unlocked().body));
  }

  /** Waits for every change queued so far and folds the journal into the file (for a clean lock or quit). */
  async settled(): Promise<void> {
    await this.#tail;
    if (this.#journaled > 0) this.#queueFold();
    await this.#tail;
  }

  #unlocked(): UnlockedVault {
    if (!this.#vault) throw new VaultLockedError();
    return this.#vault;
  }

  #live(): VaultContent {
    this.#unlocked();
    return this.#content;
  }

  #search(): SearchIndex {
    const content = this.#live();
    this.#index ??= buildSearchIndex(content);
    return this.#index;
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /**
   * One change: computed from the state the previous change left, sealed, written in one writeVaultFile, and only
   * then applied in memory. A refusal or a failed write leaves the state as it was. No content change, no write.
   */
  #change<T>(
    make: (content: VaultContent, now: Date) => { content: VaultContent; result: T; icons?: IconChanges },
  ): Promise<T> {
    return this.#serialize(async () => {
      const vault = this.#unlocked();
      const before = this.#content;
      const { content, result, icons: iconChanges } = make(before, this.#now());
      const iconsChanged = (iconChanges?.put.length ?? 0) + (iconChanges?.drop.length ?? 0) > 0;
      if (content === before && !iconsChanged) return result;
      const written = {
        ...sealContentChanges(vault, before, content, this.#clock),
        ...(iconChanges && iconsChanged ? sealIconChanges(vault, iconChanges, this.#clock) : {}),
      };
      const count = Object.keys(written).length;
      // Content that differs only in objects, not in any record (nothing sealed): nothing to write.
      if (count === 0) return result;
      const next = withRecords(vault, written);
      if (this.#journal && count <= JOURNAL_MAX_RECORDS) {
        await this.#journal.append({ vault: next.body.vault, epoch: next.body.epoch }, written);
        this.#journaled += count;
        this.#body = next.body;
        // Locked meanwhile: lock() queued the fold, which runs after this change and writes its records too.
        if (this.#journaled > JOURNAL_FOLD_RECORDS) this.#queueFold();
        else if (this.#vault === vault) this.#scheduleFold();
      } else await this.#writeWhole(next.body);
      // Locked while the file was written: the write stands, but nothing is held any more.
      if (this.#vault !== vault) return result;
      this.#vault = next;
      this.#content = content;
      if (iconChanges) {
        const icons = new Map(this.#icons);
        for (const icon of iconChanges.put) icons.set(icon.id, icon);
        for (const id of iconChanges.drop) icons.delete(id);
        this.#icons = icons;
      }
      this.#index = undefined;
      if (this.#writeCache) this.#uncached += count;
      this.#keepCache();
      return result;
    });
  }

  /** The file written whole, with every change: the journal (which the writer removes) holds nothing more. */
  async #writeWhole(body: VaultBody): Promise<void> {
    this.#cancelFold();
    await this.#write(this.#file, body);
    this.#body = body;
    this.#journaled = 0;
  }

  /** The fold a little later, so that a burst of changes (a code shown, an entry renamed) costs one whole write. */
  #scheduleFold(): void {
    if (this.#foldTimer || !this.#journal) return;
    this.#foldTimer = setTimeout(() => {
      this.#foldTimer = undefined;
      if (this.#journaled > 0) this.#queueFold();
    }, this.#journal.foldAfterMs ?? 1000);
    // A command line process that ends without settled() leaves the journal to the next open, which applies it.
    this.#foldTimer.unref?.();
  }

  #cancelFold(): void {
    clearTimeout(this.#foldTimer);
    this.#foldTimer = undefined;
  }

  /**
   * Next in the queue, the file written whole from the body as every change before it left it (read when it runs, not
   * when queued: changes queued ahead of it journal more). A failure is reported, never thrown: the changes are durable
   * in the journal, and the next fold or open takes them in.
   */
  #queueFold(): void {
    this.#cancelFold();
    const journal = this.#journal;
    this.#serialize(async () => {
      if (this.#journaled === 0 || !journal) return;
      try {
        await this.#write(this.#file, this.#body);
        this.#journaled = 0;
      } catch (error) {
        journal.foldFailed(error);
      }
    }).catch(() => undefined);
  }

  /**
   * Writes the open cache again once enough records would be read without it: next in the queue, so it seals the vault
   * as one change left it and no change waits on its sealing, and not at all once locked. A failed write costs only
   * speed (the next open reads those records from the vault), so it fails no change; the writer given reports it.
   */
  #keepCache(): void {
    const write = this.#writeCache;
    if (!write || this.#cacheQueued || this.#uncached <= OPEN_CACHE_SLACK) return;
    this.#cacheQueued = true;
    this.#serialize(async () => {
      this.#cacheQueued = false;
      const vault = this.#vault;
      if (!vault) return;
      const bytes = sealOpenCache(vault, cacheValues(this.#content, this.#icons));
      this.#uncached = 0;
      await write(bytes);
    }).catch(() => undefined);
  }

  /** An entry's icon kept in the vault (its `icon` is the icon's id), or undefined: none, or one of the bundled set. */
  icon(id: string): { mime: string; data: Buffer } | undefined {
    const icon = this.#icons.get(id);
    this.#unlocked();
    return icon ? { mime: icon.mime, data: Buffer.from(icon.data, 'base64') } : undefined;
  }
}

/** "GitHub (ada@example.org)" for a message: names only, never the secret. */
function describe(entry: VaultEntry): string {
  return entry.account ? `${quoteValue(entry.service)} (${quoteValue(entry.account)})` : quoteValue(entry.service);
}
