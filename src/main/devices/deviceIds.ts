// Stable ids for security keys: the same key gets the same id whenever it is listed, so the UI and `--device` can name it.

import type { HidDeviceInfo } from './hid/backend.js';

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/**
 * `usb:<vid>:<pid>:<serial>` when the key reports a serial number (it survives replugging and a new hidraw number),
 * else `usb:<path>` (stable only while the key stays in the same port).
 */
export function usbDeviceId(device: Pick<HidDeviceInfo, 'vendorId' | 'productId' | 'serialNumber' | 'path'>): string {
  const serial = device.serialNumber?.trim();
  if (serial) return `usb:${hex4(device.vendorId)}:${hex4(device.productId)}:${serial}`;
  return usbPathId(device.path ?? '');
}

/** The fallback id for a USB key, also used when two keys claim the same serial number (cheap keys share one). */
export function usbPathId(path: string): string {
  return `usb:${path}`;
}

/** An NFC key is known by the reader it lies on: PC/SC tells no more about it before it is read. */
export function nfcDeviceId(reader: string): string {
  return `nfc:${reader}`;
}

export function virtualDeviceId(name: string): string {
  return `virtual:${name}`;
}
