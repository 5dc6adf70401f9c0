// The vault as the renderer sees it: entries without secrets, groups, the codes of the rows on screen, search and order.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { CodeView, EntryView, GroupView, RequestOf } from '../../ipc/contract';
import { call, on } from '../services/api';
import { useSessionStore } from './session';

/** The contract's bound on one `vault:codes` call. */
export const MAX_CODE_IDS = 500;

/** Every group, as the group filter's value. */
export const ALL_GROUPS = '';

export const useVaultStore = defineStore('vault', () => {
  const session = useSessionStore();

  const entries = shallowRef<EntryView[]>([]);
  const groups = shallowRef<GroupView[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  /** What the person types in the search box. */
  const query = ref('');
  /** A group's id, or ALL_GROUPS. */
  const groupId = ref(ALL_GROUPS);
  /** The main process's clock (ms), from the `tick` event: countdowns and refreshes follow it, not Date.now(). */
  const now = ref(0);
  /** The current codes by entry id; only for the rows on screen. A shallowRef triggered by hand: one repaint per batch. */
  const codes = shallowRef(new Map<string, CodeView>());
  /** Icon pictures by icon key; null when the main process has none for the key. */
  const icons = shallowRef(new Map<string, string | null>());
  /** A sentence for the vault screen's live region, left by the screen the person came back from ("GitHub added"). */
  const notice = ref('');

  // Lower-cased "service account note" per entry, computed once per list load so a keystroke only scans strings.
  let searchKeys = new Map<string, string>();
  let onScreen: string[] = [];
  let fetching = false;
  // The rows on screen changed while a fetch was out: fetch again once it is back.
  let again = false;
  const iconRequests = new Map<string, Promise<string | null>>();

  const order = computed(() => session.state?.preferences.entryOrder ?? 'manual');

  /** All entries in the chosen order, favourites first; recomputed when the list or the order changes, not per keystroke. */
  const ordered = computed(() => {
    const compare = comparators[order.value];
    return [...entries.value].sort((a, b) => Number(b.favourite) - Number(a.favourite) || compare(a, b));
  });

  /** The rows to show: the ordered list filtered by group and search, order kept. */
  const visible = computed(() => {
    const needle = query.value.trim().toLowerCase();
    const group = groupId.value;
    if (needle === '' && group === ALL_GROUPS) return ordered.value;
    return ordered.value.filter(
      (entry) =>
        (group === ALL_GROUPS || entry.groups.includes(group)) &&
        (needle === '' || (searchKeys.get(entry.id) ?? '').includes(needle)),
    );
  });

  const byId = computed(() => new Map(entries.value.map((entry) => [entry.id, entry])));

  function setList(list: { entries: EntryView[]; groups: GroupView[] }): void {
    searchKeys = new Map(list.entries.map((e) => [e.id, `${e.service}\n${e.account}\n${e.note ?? ''}`.toLowerCase()]));
    entries.value = list.entries;
    groups.value = list.groups;
    if (groupId.value !== ALL_GROUPS && !list.groups.some((g) => g.id === groupId.value)) groupId.value = ALL_GROUPS;
    const known = new Set(list.entries.map((e) => e.id));
    const kept = new Map([...codes.value].filter(([id]) => known.has(id)));
    if (kept.size !== codes.value.size) codes.value = kept;
    loaded.value = true;
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      setList(await call('vault:list', {}));
    } finally {
      loading.value = false;
    }
    await refreshCodes();
  }

  /** An entry the main process answered with (after an edit): replaced in place, search key included. */
  function putEntry(entry: EntryView): void {
    const list = entries.value.some((e) => e.id === entry.id)
      ? entries.value.map((e) => (e.id === entry.id ? entry : e))
      : [...entries.value, entry];
    setList({ entries: list, groups: groups.value });
  }

  /** The rows on screen changed (scroll, search): fetch the codes those rows lack. */
  function showing(ids: string[]): void {
    onScreen = ids;
    void refreshCodes().catch(() => undefined);
  }

  function isStale(id: string): boolean {
    const entry = byId.value.get(id);
    if (!entry || entry.otpType === 'hotp') return false;
    const code = codes.value.get(id);
    return code === undefined || (code.validUntil !== undefined && code.validUntil <= now.value);
  }

  async function refreshCodes(): Promise<void> {
    if (fetching) {
      again = true;
      return;
    }
    if (session.state?.vault !== 'open') return;
    const ids = onScreen.filter(isStale).slice(0, MAX_CODE_IDS);
    if (ids.length === 0) return;
    fetching = true;
    try {
      const fresh = await call('vault:codes', { ids });
      // The vault may have locked while the call was out: a code that arrives after the lock is dropped.
      if (!loaded.value) return;
      const next = new Map(codes.value);
      for (const code of fresh) next.set(code.id, code);
      codes.value = next;
    } finally {
      fetching = false;
    }
    if (again) {
      again = false;
      await refreshCodes();
    }
  }

  async function copy(id: string): Promise<number> {
    const { code, clearsInSeconds } = await call('vault:copy', { id });
    setCode(code);
    return clearsInSeconds;
  }

  async function nextHotp(id: string): Promise<void> {
    setCode(await call('vault:nextHotp', { id }));
  }

  function setCode(code: CodeView): void {
    codes.value.set(code.id, code);
    triggerRef(codes);
  }

  async function setFavourite(id: string, favourite: boolean): Promise<void> {
    putEntry(await call('vault:setFavourite', { id, favourite }));
  }

  async function remove(id: string): Promise<void> {
    await call('vault:removeEntry', { id });
    setList({ entries: entries.value.filter((e) => e.id !== id), groups: groups.value });
  }

  /** Manual order: moves one entry by `by` places among all entries (favourites first, as shown when unfiltered). */
  async function move(id: string, by: -1 | 1): Promise<void> {
    const ids = ordered.value.map((e) => e.id);
    const from = ids.indexOf(id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= ids.length) return;
    ids.splice(from, 1);
    ids.splice(to, 0, id);
    await call('vault:reorder', { ids });
    const rank = new Map(ids.map((each, index) => [each, index]));
    setList({
      entries: entries.value.map((e) => ({ ...e, order: rank.get(e.id) ?? e.order })),
      groups: groups.value,
    });
  }

  async function addEntry(request: RequestOf<'vault:addEntry'>): Promise<EntryView> {
    const entry = await call('vault:addEntry', request);
    putEntry(entry);
    return entry;
  }

  async function editEntry(request: RequestOf<'vault:editEntry'>): Promise<EntryView> {
    const entry = await call('vault:editEntry', request);
    // A changed secret, period or counter makes the code on screen wrong.
    codes.value.delete(entry.id);
    triggerRef(codes);
    putEntry(entry);
    return entry;
  }

  async function setIcon(id: string, image: Uint8Array<ArrayBuffer> | null): Promise<EntryView> {
    const entry = await call('vault:setIcon', { id, image });
    if (entry.icon) {
      icons.value.delete(entry.icon);
      iconRequests.delete(entry.icon);
    }
    putEntry(entry);
    return entry;
  }

  /** An icon's picture, fetched once per key. */
  function icon(key: string): Promise<string | null> {
    const cached = icons.value.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    let request = iconRequests.get(key);
    if (!request) {
      request = call('vault:icon', { key })
        .catch(() => null)
        .then((picture) => {
          if (loaded.value) {
            icons.value.set(key, picture);
            triggerRef(icons);
          }
          return picture;
        });
      iconRequests.set(key, request);
    }
    return request;
  }

  async function createGroup(name: string): Promise<GroupView> {
    const group = await call('groups:create', { name });
    groups.value = [...groups.value, group];
    return group;
  }

  async function assign(entryId: string, group: string, member: boolean): Promise<void> {
    putEntry(await call('groups:assign', { entryId, groupId: group, member }));
  }

  /** Everything goes: no entry, code or picture stays in memory once the vault locks. */
  function clear(): void {
    entries.value = [];
    groups.value = [];
    codes.value = new Map();
    icons.value = new Map();
    iconRequests.clear();
    searchKeys = new Map();
    onScreen = [];
    query.value = '';
    groupId.value = ALL_GROUPS;
    notice.value = '';
    loaded.value = false;
  }

  on('vault:changed', () => {
    if (loaded.value) void load().catch(() => undefined);
  });
  on('tick', (event) => {
    now.value = event.now;
    if (onScreen.some(isStale)) void refreshCodes().catch(() => undefined);
  });
  on('locked', clear);

  return {
    entries,
    groups,
    loaded,
    loading,
    query,
    groupId,
    now,
    codes,
    icons,
    notice,
    order,
    visible,
    byId,
    load,
    showing,
    copy,
    nextHotp,
    setFavourite,
    remove,
    move,
    addEntry,
    editEntry,
    setIcon,
    icon,
    createGroup,
    assign,
    clear,
  };
});

type Compare = (a: EntryView, b: EntryView) => number;

// One collator for every comparison: String#localeCompare builds one per call, too slow for 10,000 entries.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const byText = (a: string, b: string): number => collator.compare(a, b);

const comparators: Record<'manual' | 'service' | 'account' | 'recent', Compare> = {
  manual: (a, b) => a.order - b.order,
  service: (a, b) => byText(a.service, b.service) || byText(a.account, b.account),
  account: (a, b) => byText(a.account, b.account) || byText(a.service, b.service),
  // Most recently changed first; entries without a date last, in manual order.
  recent: (a, b) => (b.modifiedAt ?? '').localeCompare(a.modifiedAt ?? '') || a.order - b.order,
};
