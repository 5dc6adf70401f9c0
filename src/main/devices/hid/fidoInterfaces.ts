// Picks the FIDO interfaces out of the HID device list (CTAP 2.2 section 11.2.8.1: usage page 0xF1D0, usage 0x01).

import type { HidDeviceInfo } from './backend.js';

export const FIDO_USAGE_PAGE = 0xf1d0;
export const FIDO_USAGE = 0x01;

/**
 * True for the CTAPHID interface of a key. A YubiKey also exposes a keyboard (OTP) and a CCID interface under the
 * same vendor and product id; only the usage page tells them apart.
 */
export function isFidoInterface(device: HidDeviceInfo): boolean {
  return (
    device.usagePage === FIDO_USAGE_PAGE &&
    device.usage === FIDO_USAGE &&
    typeof device.path === 'string' &&
    device.path.length > 0
  );
}

export function fidoInterfaces(devices: readonly HidDeviceInfo[]): HidDeviceInfo[] {
  const seen = new Set<string>();
  return devices.filter((d) => {
    if (!isFidoInterface(d) || seen.has(d.path!)) return false;
    seen.add(d.path!);
    return true;
  });
}
