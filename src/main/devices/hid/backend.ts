// The slice of node-hid that Latchkey uses, as an interface, so tests can stand in a fake device list.

/** One HID interface as node-hid lists it. */
export interface HidDeviceInfo {
  path?: string | undefined;
  vendorId: number;
  productId: number;
  product?: string | undefined;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface?: number | undefined;
}

/** One open HID interface (node-hid's HIDAsync). */
export interface HidHandle {
  write(values: number[] | Buffer): Promise<number>;
  /** Resolves undefined (or an empty buffer) when nothing arrived within the timeout. */
  read(timeoutMs?: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

export interface HidBackend {
  devicesAsync(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidHandle>;
}

/** node-hid, loaded on first use so that code paths which never touch USB do not load the native addon. */
export async function nodeHidBackend(): Promise<HidBackend> {
  const hid = await import('node-hid');
  return {
    devicesAsync: () => hid.devicesAsync(),
    open: (path) => hid.HIDAsync.open(path) as Promise<HidHandle>,
  };
}
