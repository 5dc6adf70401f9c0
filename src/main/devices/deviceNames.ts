// What to call a security key in lists: its model when the AAGUID is known, else what USB or the reader says.

import type { HidDeviceInfo } from './hid/backend.js';
import { KNOWN_VENDORS } from '../../ctap/index.js';

/** The AAGUID's model; then the USB product string; then the maker by vendor id; then the raw ids. */
export function usbDeviceName(
  device: Pick<HidDeviceInfo, 'vendorId' | 'productId' | 'product'>,
  model?: string,
): string {
  if (model) return model;
  const product = device.product?.trim();
  if (product) return product;
  const vendor = KNOWN_VENDORS.get(device.vendorId);
  const ids = `${device.vendorId.toString(16).padStart(4, '0')}:${device.productId.toString(16).padStart(4, '0')}`;
  return vendor ? `${vendor} (${ids})` : `Security key ${ids}`;
}

/**
 * The AAGUID's model, or "Security key on <reader>". A card whose ATR names an issuer cards are named after (see
 * KNOWN_CARD_ISSUERS: Latchkey's own virtual card) carries that label first, so that a demo card impersonating a
 * YubiKey is never taken for one.
 */
export function nfcDeviceName(reader: string, model: string | undefined, cardLabel?: string): string {
  if (cardLabel) return model ? `${cardLabel} (${model})` : `${cardLabel} on ${reader}`;
  return model ?? `Security key on ${reader}`;
}
