// What stands in for the preload in the tests' Chromium: window.latchkey built by the same buildApi, over a
// Playwright binding instead of ipcRenderer. Bundled by esbuild into an init script (launchApp.ts).

import { buildApi, type LatchkeyApi } from '../../../src/preload/buildApi.js';

type Listener = (payload: unknown) => void;

declare global {
  interface Window {
    readonly latchkey: LatchkeyApi;
    __latchkeyInvoke(channel: string, request: unknown): Promise<unknown>;
    __latchkeyEvent(channel: string, payload: unknown): void;
  }
}

// Playwright's binding carries JSON: bytes cross as base64 under a marker, both ways.
function encode(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    let text = '';
    for (const byte of value) text += String.fromCharCode(byte);
    return { __bytes: btoa(text) };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

const listeners = new Map<string, Set<Listener>>();
window.__latchkeyEvent = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener(payload);
};

Object.defineProperty(window, 'latchkey', {
  value: buildApi({
    invoke: async (channel, request) => JSON.parse((await window.__latchkeyInvoke(channel, encode(request))) as string),
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  }),
  writable: false,
  configurable: false,
});
