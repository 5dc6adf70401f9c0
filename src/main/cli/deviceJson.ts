// The stable JSON form of a listed key and of a transport's status, shared by `latchkey devices --json` and `info --json` (docs/cli.md).

import type { DeviceInfo, TransportStatus } from '../devices/index.js';

/** Every field is always present; null means unknown or not applicable. */
export interface DeviceJson {
  id: string;
  transport: DeviceInfo['transport'];
  name: string;
  aaguid: string | null;
  model: string | null;
  versions: string[] | null;
  reader: string | null;
  usb: {
    path: string;
    vendorId: string;
    productId: string;
    product: string | null;
    manufacturer: string | null;
    serialNumber: string | null;
  } | null;
  problem: string | null;
}

export interface TransportJson {
  transport: TransportStatus['transport'];
  state: TransportStatus['state'];
  reason: string | null;
}

/** Bumped only when a field changes meaning or goes away; new fields do not bump it. */
export const CLI_JSON_VERSION = 1;

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

export function deviceJson(device: DeviceInfo): DeviceJson {
  const usb = device.usb;
  return {
    id: device.id,
    transport: device.transport,
    name: device.name,
    aaguid: device.aaguid ?? null,
    model: device.model ?? null,
    versions: device.versions ?? null,
    reader: device.reader ?? null,
    usb: usb
      ? {
          path: usb.path,
          vendorId: hex4(usb.vendorId),
          productId: hex4(usb.productId),
          product: usb.product ?? null,
          manufacturer: usb.manufacturer ?? null,
          serialNumber: usb.serialNumber ?? null,
        }
      : null,
    problem: device.problem ?? null,
  };
}

export function transportJson(status: TransportStatus): TransportJson {
  return { transport: status.transport, state: status.state, reason: status.reason ?? null };
}
