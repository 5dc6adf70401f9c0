// A virtual security key's state file for tests of the app (what a USB key is to it), with a PIN when asked.

import { CtapHidDevice, Ctap2, ClientPin } from '../../src/ctap/index.js';
import { VirtualAuthenticator, type VirtualProfileName } from '../../src/ctap/virtual/index.js';
import { VirtualKeyStateFile } from '../../src/main/services/index.js';

export const TEST_PIN = '4711';

export interface VirtualKeyOptions {
  profile?: VirtualProfileName;
  /** A PIN set on the key before the app sees it. */
  pin?: string;
}

/** A virtual key's state file (what a USB key is to the app): made once, used by every ceremony. */
export async function makeVirtualKey(file: string, options: VirtualKeyOptions = {}): Promise<string> {
  const key = new VirtualAuthenticator(options.profile === undefined ? {} : { profile: options.profile });
  if (options.pin !== undefined) {
    const device = await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
    await new ClientPin(await Ctap2.create(device)).setPin(options.pin);
    await device.close();
  }
  await new VirtualKeyStateFile(file, key).saveIfChanged();
  return file;
}
