// A stand-in for node-hid: a mutable device list, handles that record writes and answer reads from a queue, and handles wired to a virtual key.

import { TransportError } from '../../src/ctap/errors.js';
import type { HidConnection } from '../../src/ctap/transport.js';
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
  /** Paths whose every open() gets a fresh handle from this factory (e.g. virtualKeyHandle), as hidraw gives each open its own file. */
  readonly connectors = new Map<string, () => FakeHidHandle>();

  async devicesAsync(): Promise<HidDeviceInfo[]> {
    this.listCalls++;
    return this.devices.map((d) => ({ ...d }));
  }

  async open(path: string): Promise<HidHandle> {
    if (this.openError) throw this.openError;
    if (!this.devices.some((d) => d.path === path)) throw new Error(`cannot open device with path ${path}`);
    const connector = this.connectors.get(path);
    const handle = connector ? connector() : (this.handles.get(path) ?? new FakeHidHandle());
    this.handles.set(path, handle);
    return handle;
  }
}

/** A YubiKey 5 NFC as hidapi lists it on Linux: an OTP keyboard interface and the FIDO interface. */
export function yubikeyInterfaces(n: number): HidDeviceInfo[] {
  return [
    {
      path: `/dev/hidraw${2 * n}`,
      vendorId: 0x1050,
      productId: 0x0407,
      product: 'YubiKey OTP+FIDO+CCID',
      usagePage: 0x0001,
      usage: 0x06,
      interface: 0,
    },
    {
      path: `/dev/hidraw${2 * n + 1}`,
      vendorId: 0x1050,
      productId: 0x0407,
      product: 'YubiKey OTP+FIDO+CCID',
      usagePage: 0xf1d0,
      usage: 0x01,
      interface: 1,
    },
  ];
}

/**
 * A handle wired to a virtual key, as node-hid would be to the real one: each write must be 65 bytes with report ID 0,
 * which is stripped before the 64-byte report reaches the key; the key's reports come back as reads.
 */
export function virtualKeyHandle(key: { hidConnection(): HidConnection }): FakeHidHandle {
  const conn = key.hidConnection();
  const handle = new FakeHidHandle();
  handle.onWrite = (data) => {
    if (data.length !== 65 || data[0] !== 0)
      throw new Error(
        `write of ${data.length} bytes starting 0x${data[0]?.toString(16)}, expected 65 bytes starting 0x00`,
      );
    void conn.write(new Uint8Array(data.subarray(1)));
  };
  void (async () => {
    while (!handle.closed && !handle.unplugged) {
      try {
        const report = await conn.read(20);
        if (report) handle.inbox.push(Buffer.from(report));
      } catch (error) {
        if (!(error instanceof TransportError && error.code === 'timeout')) break;
      }
    }
    await conn.close();
  })();
  return handle;
}

/** Puts a YubiKey-like device (keyboard + FIDO interface) into the list, its FIDO interface answered by `key`. */
export function plugVirtualKey(
  backend: FakeHidBackend,
  n: number,
  key: { hidConnection(): HidConnection },
  serialNumber?: string,
): HidDeviceInfo {
  const interfaces = yubikeyInterfaces(n).map((d) => (serialNumber === undefined ? d : { ...d, serialNumber }));
  backend.devices.push(...interfaces);
  const fido = interfaces[1]!;
  backend.connectors.set(fido.path!, () => virtualKeyHandle(key));
  return fido;
}
