// What to call a security key in lists: its model when the AAGUID is known, else what USB or the reader says.

import type { HidDeviceInfo } from './hid/backend.js';
import { KNOWN_VENDORS } from './knownAuthenticators.js';

/** The AAGUID's model; then the USB product string; then the maker by vendor id; then the raw ids. */
export function usbDeviceName(device: Pick<HidDeviceInfo, 'vendorId' | 'productId' | 'product'>, model?: string): string {
  if (model) return model;
  const product = device.product?.trim();
  if (product) return product;
  const vendor = KNOWN_VENDORS.get(device.vendorId);
  const ids = `${device.vendorId.toString(16).padStart(4, '0')}:${device.productId.toString(16).padStart(4, '0')}`;
  return vendor ? `${vendor} (${ids})` : `Security key ${ids}`;
}

/**
 * The AAGUID's model, or "Security key on <reader>". Latchkey's own virtual card (recognised by its ATR) says so, so
 * that a demo card impersonating a YubiKey is never taken for one.
 */
export function nfcDeviceName(reader: string, model: string | undefined, latchkeyVirtualCard: boolean): string {
  if (latchkeyVirtualCard) return model ? `Latchkey virtual card (${model})` : `Latchkey virtual card on ${reader}`;
  return model ?? `Security key on ${reader}`;
}
