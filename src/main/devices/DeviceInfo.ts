// What the device manager tells its users (UI, CLI) about one security key and about each transport.

/** How Latchkey reaches the key: a USB HID interface, a card on a PC/SC (NFC) reader, or an in-process virtual key. */
export type DeviceTransport = 'usb' | 'nfc' | 'virtual';

/** One security key as the device manager lists it. A plain JSON-able snapshot: later changes come as new events. */
export interface DeviceInfo {
  /**
   * Stable while the key stays connected, and across reconnects where the hardware allows: `usb:<vid>:<pid>:<serial>`
   * (4-digit lowercase hex ids), `usb:<path>` for keys without a serial number, `nfc:<reader name>`, `virtual:<name>`.
   */
  id: string;
  transport: DeviceTransport;
  /** What to call the key: its model (from the AAGUID) when known, else what the transport says about it. */
  name: string;
  /** The AAGUID as UUID text, once getInfo has been read; undefined for U2F-only keys (they have none). */
  aaguid?: string;
  /** The model for the AAGUID from the table of known keys, when it is in the table. */
  model?: string;
  /** getInfo versions once read (e.g. U2F_V2, FIDO_2_0, FIDO_2_1); ['U2F_V2'] for a U2F-only key. */
  versions?: string[];
  /** For USB keys: what the USB descriptors say. */
  usb?: {
    path: string;
    vendorId: number;
    productId: number;
    product?: string;
    manufacturer?: string;
    serialNumber?: string;
  };
  /** For NFC keys: the PC/SC reader the key is on. */
  reader?: string;
  /** Why the key could not be read (opening refused, no answer), in words a user can act on. */
  problem?: string;
}

/** Whether a transport works on this machine, with the reason when it does not (shown in the UI as is). */
export interface TransportStatus {
  transport: 'usb' | 'nfc';
  /** `off`: disabled in the manager's options. `unavailable`: the system cannot provide it now (see `reason`). */
  state: 'available' | 'unavailable' | 'off';
  reason?: string;
}
