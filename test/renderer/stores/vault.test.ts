// The vault store against a stand-in preload API: search, order, codes for the rows on screen, ticks, and the lock.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { AppState, CodeView, EntryView, EventName, Preferences } from '../../../src/ipc/contract';

type Listener = (payload: unknown) => void;

/** Records calls and answers them from `answers`; events are sent with `emit`. */
class FakeApi {
  calls: { channel: string; request: Record<string, unknown> }[] = [];
  listeners = new Map<string, Set<Listener>>();
  answers: Record<string, (request: Record<string, unknown>) => unknown> = {};

  async call(channel: string, request: Record<string, unknown>) {
    this.calls.push({ channel, request });
    const answer = this.answers[channel];
    if (!answer) return { ok: false, error: { code: 'not-here', message: `No answer for ${channel}.` } };
    return { ok: true, value: await answer(request) };
  }
  on(event: EventName, listener: Listener) {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }
  emit(event: EventName, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }
  callsTo(channel: string) {
    return this.calls.filter((c) => c.channel === channel);
  }
}

let api: FakeApi;
let stores: typeof import('../../../src/renderer/stores/vault');
let session: typeof import('../../../src/renderer/stores/session');

function entry(id: string, fields: Partial<EntryView> = {}): EntryView {
  return {
    id,
    otpType: 'totp',
    service: `Service ${id}`,
    account: `user${id}@example.org`,
    digits: 6,
    algorithm: 'sha1',
    period: 30,
    groups: [],
    favourite: false,
    order: Number(id),
    ...fields,
  };
}

function openSession(entryOrder: Preferences['entryOrder'] = 'manual'): void {
  const state = {
    accounts: [],
    vault: 'open',
    userVerification: 'preferred',
    platform: 'linux',
    preferences: { entryOrder } as Preferences,
  } as unknown as AppState;
  session.useSessionStore().state = state;
}

/** Resolves once the fake has seen `count` calls to `channel`; fails after a generous deadline. */
async function callsSeen(channel: string, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (api.callsTo(channel).length < count) {
    if (Date.now() > deadline)
      throw new Error(`${channel} was called ${api.callsTo(channel).length} times, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

beforeAll(async () => {
  // The renderer's modules read the browser's globals when they load.
  Object.assign(globalThis, {
    window: {
      get latchkey() {
        return api;
      },
      matchMedia: () => ({ matches: false }),
    },
    navigator: { language: 'en-GB' },
    document: { documentElement: { dataset: {}, lang: 'en' } },
  });
  stores = await import('../../../src/renderer/stores/vault');
  session = await import('../../../src/renderer/stores/session');
});

beforeEach(() => {
  api = new FakeApi();
  setActivePinia(createPinia());
});

describe('vault store', () => {
  it('searches service, account and note without regard to case, and filters by group', async () => {
    api.answers['vault:list'] = () => ({
      entries: [
        entry('1', { service: 'GitHub', groups: ['g1'] }),
        entry('2', { service: 'Mastodon', account: 'Alice' }),
        entry('3', { service: 'Bank', note: 'The OLD github login' }),
      ],
      groups: [{ id: 'g1', name: 'Work' }],
    });
    api.answers['vault:codes'] = () => [];
    openSession();
    const vault = stores.useVaultStore();
    await vault.load();

    vault.query = 'GITHUB';
    expect(vault.visible.map((e) => e.id)).toEqual(['1', '3']);
    vault.query = 'alice';
    expect(vault.visible.map((e) => e.id)).toEqual(['2']);
    vault.query = '';
    vault.groupId = 'g1';
    expect(vault.visible.map((e) => e.id)).toEqual(['1']);
  });

  it('puts favourites first, then follows the entryOrder preference', async () => {
    api.answers['vault:list'] = () => ({
      entries: [
        entry('1', { service: 'Zeta', account: 'b' }),
        entry('2', { service: 'alpha', account: 'c' }),
        entry('3', { service: 'Mid', account: 'a', favourite: true }),
      ],
      groups: [],
    });
    api.answers['vault:codes'] = () => [];
    openSession('service');
    const vault = stores.useVaultStore();
    await vault.load();
    expect(vault.visible.map((e) => e.id)).toEqual(['3', '2', '1']);
    openSession('account');
    expect(vault.visible.map((e) => e.id)).toEqual(['3', '1', '2']);
    openSession('manual');
    expect(vault.visible.map((e) => e.id)).toEqual(['3', '1', '2']);
  });

  it('asks codes only for the rows on screen, at most 500, and again once the tick passes their validUntil', async () => {
    const list = Array.from({ length: 1000 }, (_, i) => entry(String(i + 1)));
    list[1] = entry('2', { otpType: 'hotp', counter: 0 });
    api.answers['vault:list'] = () => ({ entries: list, groups: [] });
    let until = 30_000;
    api.answers['vault:codes'] = (request) =>
      (request.ids as string[]).map((id): CodeView => ({
        id,
        code: '123456',
        validFrom: until - 30_000,
        validUntil: until,
      }));
    openSession();
    const vault = stores.useVaultStore();
    await vault.load();
    expect(api.callsTo('vault:codes')).toHaveLength(0);

    vault.showing(['1', '2', '3']);
    await callsSeen('vault:codes', 1);
    // HOTP codes come from vault:nextHotp only.
    expect(api.callsTo('vault:codes')[0]?.request.ids).toEqual(['1', '3']);

    api.emit('tick', { now: 29_000 });
    api.emit('tick', { now: 29_500 });
    expect(api.callsTo('vault:codes')).toHaveLength(1);
    until = 60_000;
    api.emit('tick', { now: 30_000 });
    await callsSeen('vault:codes', 2);
    expect(vault.codes.get('1')?.validUntil).toBe(60_000);

    vault.showing(list.map((e) => e.id));
    await callsSeen('vault:codes', 3);
    expect((api.callsTo('vault:codes')[2]?.request.ids as string[]).length).toBe(500);
  });

  it('keeps no entry, code or icon once the vault locks, even one that arrives after the lock', async () => {
    api.answers['vault:list'] = () => ({ entries: [entry('1'), entry('2')], groups: [] });
    let release: (codes: CodeView[]) => void = () => undefined;
    api.answers['vault:codes'] = (request) =>
      (request.ids as string[]).map((id) => ({ id, code: '111111', validUntil: 1e15 }));
    api.answers['vault:icon'] = () => 'data:image/png;base64,AA==';
    openSession();
    const vault = stores.useVaultStore();
    await vault.load();
    vault.showing(['1']);
    await callsSeen('vault:codes', 1);
    await vault.icon('github');
    expect(vault.codes.size).toBe(1);
    vault.query = 'service';

    // A fetch still out when the lock comes must not put its codes back.
    api.answers['vault:codes'] = () => new Promise<CodeView[]>((resolve) => (release = resolve));
    api.answers['app:state'] = () => ({ ...session.useSessionStore().state, vault: 'locked' });
    vault.showing(['2']);
    await callsSeen('vault:codes', 2);
    api.emit('locked', { reason: 'manual' });
    release([{ id: '2', code: '222222', validUntil: 1e15 }]);
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(vault.entries).toEqual([]);
    expect(vault.codes.size).toBe(0);
    expect(vault.icons.size).toBe(0);
    expect(vault.query).toBe('');
    expect(vault.visible).toEqual([]);
  });

  it('filters 10,000 entries on each keystroke to exactly the matching ones, in the list order', async () => {
    const list = Array.from({ length: 10_000 }, (_, i) =>
      entry(String(i + 1), {
        service: `Service ${i % 97}`,
        account: `person${i}@example.org`,
        note: i % 7 ? '' : 'work',
      }),
    );
    api.answers['vault:list'] = () => ({ entries: list, groups: [] });
    api.answers['vault:codes'] = () => [];
    openSession('service');
    const vault = stores.useVaultStore();
    await vault.load();
    const unfiltered = vault.visible.map((e) => e.id);
    expect(unfiltered).toHaveLength(10_000);

    // Speed is the benchmark's business (npm run bench); here each keystroke must give the right rows.
    for (const typed of ['p', 'pe', 'per', 'pers', 'person1', 'PERSON12', ' work ', 'service 96', 'zzz']) {
      vault.query = typed;
      const needle = typed.trim().toLowerCase();
      const expected = unfiltered.filter((id) => {
        const e = list[Number(id) - 1]!;
        return `${e.service}\n${e.account}\n${e.note ?? ''}`.toLowerCase().includes(needle);
      });
      expect(vault.visible.map((e) => e.id)).toEqual(expected);
    }
    expect(vault.visible).toHaveLength(0);
  });
});
