// The navigation store: where the main process sends the window, and back to the vault when it locks.

import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { EventName } from '../../../src/ipc/contract';

type Listener = (payload: unknown) => void;

/** A stand-in for the preload API that lets the test send events. */
function fakeApi() {
  const listeners = new Map<string, Listener[]>();
  const api = {
    async call() {
      return { ok: true, value: null };
    },
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => undefined;
    },
  };
  const emit = (event: EventName, payload: unknown) => (listeners.get(event) ?? []).forEach((l) => l(payload));
  return { api, emit };
}

let fake: ReturnType<typeof fakeApi>;

beforeEach(() => {
  fake = fakeApi();
  (globalThis as { window?: unknown }).window = { latchkey: fake.api };
  setActivePinia(createPinia());
});

interface NavigationStore {
  screen: string;
  entryId: string | undefined;
  go(screen: string, options?: { entryId?: string }): void;
}

// Imported by a computed path: the root typecheck (Node types, no DOM) must not take in the renderer's files.
const STORE_MODULE = '../../../src/renderer/stores/navigation';

async function store(): Promise<NavigationStore> {
  const { useNavigationStore } = (await import(/* @vite-ignore */ STORE_MODULE)) as {
    useNavigationStore: () => NavigationStore;
  };
  return useNavigationStore();
}

describe('navigation store', () => {
  it('goes where the main process says (the tray’s Settings is General settings)', async () => {
    const navigation = await store();
    fake.emit('navigate', { to: 'settings' });
    expect(navigation.screen).toBe('settings-general');
  });

  it('leaves any screen for the vault on lock, so the next sign-in does not open a half-typed form', async () => {
    const navigation = await store();
    navigation.go('edit-entry', { entryId: 'e1' });
    fake.emit('locked', { reason: 'idle' });
    expect(navigation.screen).toBe('vault');
    expect(navigation.entryId).toBeUndefined();
  });
});
