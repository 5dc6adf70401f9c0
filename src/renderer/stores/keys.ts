// The signed-in account's security keys: list, register, rename, revoke (after the lock-out guard's check).

import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { GuardAnswer, KeyView } from '../../ipc/contract';
import { call } from '../services/api';
import { useSessionStore } from './session';

export const useKeysStore = defineStore('keys', () => {
  const session = useSessionStore();
  const keys = ref<KeyView[]>([]);
  const loaded = ref(false);

  async function load(): Promise<void> {
    keys.value = await call('keys:list', {});
    loaded.value = true;
  }

  /** Registers a key (the prompt host shows the touch); resolves to it as the relying party recorded it. */
  async function add(name?: string): Promise<KeyView> {
    const key = await call('keys:add', name === undefined || name.trim() === '' ? {} : { name: name.trim() });
    keys.value = [...keys.value.filter((k) => k.id !== key.id), key];
    countKeys();
    return key;
  }

  async function rename(id: string, name: string): Promise<KeyView> {
    const key = await call('keys:rename', { id, name: name.trim() });
    keys.value = keys.value.map((k) => (k.id === id ? key : k));
    return key;
  }

  async function checkRevoke(id: string): Promise<GuardAnswer> {
    return call('keys:checkRevoke', { id });
  }

  /** Permanent: the caller has asked the person to confirm. */
  async function revoke(id: string): Promise<void> {
    keys.value = await call('keys:revoke', { id });
    countKeys();
  }

  // The account's key count feeds the lock-out wording elsewhere: keep it in step without a round trip.
  function countKeys(): void {
    const account = session.state?.account;
    if (session.state && account)
      session.state = { ...session.state, account: { ...account, keyCount: keys.value.length } };
  }

  return { keys, loaded, load, add, rename, checkRevoke, revoke };
});
