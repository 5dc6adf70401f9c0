// The device manager as the one-shot CLI commands use it: no retries in the background, optionally one transport only.

import { createDeviceManager, KEY_TRANSPORTS, type DeviceManager, type KeyTransport } from '../services/index.js';
import { UsageError } from './UsageError.js';

/** `--transport usb|nfc` leaves the other transport out; undefined keeps both. */
export function cliDeviceManager(transport: string | undefined): DeviceManager {
  if (transport !== undefined && !(KEY_TRANSPORTS as readonly string[]).includes(transport)) {
    throw new UsageError(`--transport "${transport}" is not one of ${KEY_TRANSPORTS.join(', ')}`);
  }
  return createDeviceManager(transport === undefined ? {} : { transport: transport as KeyTransport });
}
