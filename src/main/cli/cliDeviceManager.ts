// The device manager as the one-shot CLI commands use it: no retries in the background, optionally one transport only.

import { DeviceManager } from '../devices/index.js';
import { UsageError } from './registry.js';

export const TRANSPORT_CHOICES = ['usb', 'nfc'] as const;

/** `--transport usb|nfc` leaves the other transport out; undefined keeps both. */
export function cliDeviceManager(transport: string | undefined): DeviceManager {
  if (transport !== undefined && !(TRANSPORT_CHOICES as readonly string[]).includes(transport)) {
    throw new UsageError(`--transport "${transport}" is not one of ${TRANSPORT_CHOICES.join(', ')}`);
  }
  return new DeviceManager({
    ...(transport === 'nfc' ? { hid: false as const } : {}),
    ...(transport === 'usb' ? { pcsc: false as const } : {}),
    // A command lists what is there now; waiting for pcscd to come back is the app's business.
    pcscRetryMs: 0,
  });
}
