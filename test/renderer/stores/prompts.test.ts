// The prompts store: which dialog shows, what Cancel sends (the key's wait too, for touch and insert), and progress steps.

import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { EventName } from '../../../src/ipc/contract';

type Listener = (payload: unknown) => void;

/** A stand-in for the preload API: records calls, lets the test send events. */
function fakeApi() {
  const calls: [string, unknown][] = [];
  const listeners = new Map<string, Listener[]>();
  const api = {
    async call(channel: string, request: unknown) {
      calls.push([channel, request]);
      return { ok: true, value: null };
    },
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => undefined;
    },
  };
  const emit = (event: EventName, payload: unknown) => (listeners.get(event) ?? []).forEach((l) => l(payload));
  return { api, calls, emit };
}

let fake: ReturnType<typeof fakeApi>;

beforeEach(() => {
  fake = fakeApi();
  (globalThis as { window?: unknown }).window = { latchkey: fake.api };
  setActivePinia(createPinia());
});

/** What the tests use of the store. */
interface PromptsStore {
  current: { id: string; step?: string } | undefined;
  step: string | undefined;
  cancel(id: string): Promise<void>;
}

// Imported by a computed path: the root typecheck (Node types, no DOM) must not take in the renderer's files, which
// vue-tsc checks with the DOM's types.
const STORE_MODULE = '../../../src/renderer/stores/prompts';

async function store(): Promise<PromptsStore> {
  const { usePromptsStore } = (await import(/* @vite-ignore */ STORE_MODULE)) as {
    usePromptsStore: () => PromptsStore;
  };
  return usePromptsStore();
}

describe('prompts store', () => {
  it('shows the oldest open prompt and drops it when the main process closes it', async () => {
    const prompts = await store();
    fake.emit('prompt', { id: 'a', prompt: { kind: 'touch', purpose: 'presence' } });
    fake.emit('prompt', { id: 'b', prompt: { kind: 'confirm', question: 'Revoke?' } });
    expect(prompts.current?.id).toBe('a');
    fake.emit('prompt:closed', { id: 'a' });
    expect(prompts.current?.id).toBe('b');
  });

  it('cancels a touch prompt and the key’s wait with it', async () => {
    const prompts = await store();
    fake.emit('prompt', { id: 't', prompt: { kind: 'touch', purpose: 'presence' } });
    await prompts.cancel('t');
    expect(fake.calls).toEqual([
      ['prompt:answer', { id: 't', answer: { kind: 'cancel' } }],
      ['operation:cancel', {}],
    ]);
    expect(prompts.current).toBeUndefined();
  });

  it('cancels a PIN prompt without cancelling the operation (the service decides what a missing PIN means)', async () => {
    const prompts = await store();
    fake.emit('prompt', { id: 'p', prompt: { kind: 'pin', retriesLeft: 3 } });
    await prompts.cancel('p');
    expect(fake.calls).toEqual([['prompt:answer', { id: 'p', answer: { kind: 'cancel' } }]]);
  });

  it('gives a progress step to the prompt that follows it, and clears it once that prompt closes', async () => {
    const prompts = await store();
    fake.emit('prompt', { id: 'first', prompt: { kind: 'touch', purpose: 'presence' } });
    fake.emit('progress', { step: 'vault-key-touch' });
    // The first touch closing must not take down a step meant for the next one.
    fake.emit('prompt:closed', { id: 'first' });
    expect(prompts.step).toBe('vault-key-touch');
    fake.emit('prompt', { id: 'second', prompt: { kind: 'touch', purpose: 'presence' } });
    expect(prompts.current?.step).toBe('vault-key-touch');
    fake.emit('prompt:closed', { id: 'second' });
    expect(prompts.step).toBeUndefined();
  });
});
