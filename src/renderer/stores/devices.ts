// The security keys present now (USB, NFC) and the transports that cannot work here, kept current by the `devices` event.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DevicesView } from '../../ipc/contract';
import { call, on } from '../services/api';

export const useDevicesStore = defineStore('devices', () => {
  const present = ref<DevicesView | undefined>();

  async function load(): Promise<void> {
    present.value = await call('devices:list', {});
  }

  on('devices', (event) => {
    present.value = event;
  });

  return { present, load };
});
