// Binds the contract to Electron: every channel to ipcMain.handle through the dispatcher, events to the window.

import { ipcMain, type BrowserWindow } from 'electron';
import { CHANNELS, type Channel, type EventName, type EventOf } from '../../ipc/contract.js';
import { eventChannel, invokeChannel } from '../../ipc/channelNames.js';
import type { IpcDispatcher } from './IpcDispatcher.js';

/** Sends an event to the window's page, while it exists. */
export function windowEventSender(window: BrowserWindow) {
  return <E extends EventName>(event: E, payload: EventOf<E>): void => {
    if (!window.isDestroyed()) window.webContents.send(eventChannel(event), payload);
  };
}

/**
 * One handler per contract channel. The sender is the frame that called, not the window: a frame of another origin
 * (there should be none) is refused by the dispatcher's check of its URL.
 */
export function bindIpc(dispatcher: IpcDispatcher): void {
  for (const channel of Object.keys(CHANNELS) as Channel[]) {
    ipcMain.handle(invokeChannel(channel), (event, request: unknown) =>
      dispatcher.dispatch(channel, request, event.senderFrame?.url ?? ''),
    );
  }
}
