// A stand-in for node-hid: a mutable device list and handles that record writes and answer reads from a queue.

import type { HidBackend, HidDeviceInfo, HidHandle } from '../../src/main/devices/hid/backend.js';

export class FakeHidHandle implements HidHandle {
  readonly writes: Buffer[] = [];
  readonly inbox: Buffer[] = [];
  closed = false;
  /** Set to make every later read and write fail, as hidapi does when the key is pulled. */
  unplugged = false;
  onWrite: ((data: Buffer) => void) | undefined;

  async write(values: number[] | Buffer): Promise<number> {
    if (this.unplugged) throw new Error('Cannot write to hid device');
    const data = Buffer.from(values);
    this.writes.push(data);
    this.onWrite?.(data);
    return data.length;
  }

  async read(timeoutMs = 0): Promise<Buffer | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      if (this.unplugged) throw new Error('could not read from HID device');
      const next = this.inbox.shift();
      if (next) return next;
      if (Date.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export class FakeHidBackend implements HidBackend {
  devices: HidDeviceInfo[] = [];
  listCalls = 0;
  readonly handles = new Map<string, FakeHidHandle>();
  /** An error that open() throws, to exercise the permission messages. */
  openError: Error | undefined;

  async devicesAsync(): Promise<HidDeviceInfo[]> {
    this.listCalls++;
    return this.devices.map((d) => ({ ...d }));
  }

  async open(path: string): Promise<HidHandle> {
    if (this.openError) throw this.openError;
    if (!this.devices.some((d) => d.path === path)) throw new Error(`cannot open device with path ${path}`);
    const handle = this.handles.get(path) ?? new FakeHidHandle();
    this.handles.set(path, handle);
    return handle;
  }
}

/** A YubiKey 5 NFC as hidapi lists it on Linux: an OTP keyboard interface and the FIDO interface. */
export function yubikeyInterfaces(n: number): HidDeviceInfo[] {
  return [
    { path: `/dev/hidraw${2 * n}`, vendorId: 0x1050, productId: 0x0407, product: 'YubiKey OTP+FIDO+CCID', usagePage: 0x0001, usage: 0x06, interface: 0 },
    { path: `/dev/hidraw${2 * n + 1}`, vendorId: 0x1050, productId: 0x0407, product: 'YubiKey OTP+FIDO+CCID', usagePage: 0xf1d0, usage: 0x01, interface: 1 },
  ];
}
