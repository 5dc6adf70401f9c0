// A device manager for a service: both transports or one, watching for keys to come and go or looking once.

import { DeviceManager } from '../devices/index.js';

export const KEY_TRANSPORTS = ['usb', 'nfc'] as const;
export type KeyTransport = (typeof KEY_TRANSPORTS)[number];

export interface CreateDeviceManagerOptions {
  /** Leaves the other transport out. @default both */
  transport?: KeyTransport;
  /**
   * Keep trying PC/SC while pcscd is away. A one-shot command lists what is there now; waiting for pcscd to come back
   * is the app's business. @default false
   */
  retryPcsc?: boolean;
}

export function createDeviceManager(options: CreateDeviceManagerOptions = {}): DeviceManager {
  return new DeviceManager({
    ...(options.transport === 'nfc' ? { hid: false as const } : {}),
    ...(options.transport === 'usb' ? { pcsc: false as const } : {}),
    ...(options.retryPcsc === true ? {} : { pcscRetryMs: 0 }),
  });
}
