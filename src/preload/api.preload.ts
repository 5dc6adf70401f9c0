// The preload script: exposes the contract's API as `window.latchkey`, never ipcRenderer itself.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi } from './buildApi.js';

contextBridge.exposeInMainWorld(
  'latchkey',
  buildApi({
    invoke: (channel, request) => ipcRenderer.invoke(channel, request),
    subscribe(channel, listener) {
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => ipcRenderer.removeListener(channel, forward);
    },
  }),
);
