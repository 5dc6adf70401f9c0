// USB security keys: FIDO HID interfaces found by polling node-hid (it has no hotplug events), opened as CTAPHID devices.

import { ClientError, CtapHidDevice, type CtapDevice } from '../../../ctap/index.js';
import type { TransportStatus } from '../DeviceInfo.js';
import type { DeviceDescription } from '../DeviceSource.js';
import { DeviceSourceBase, message, type DeviceSourceBaseOptions } from '../DeviceSourceBase.js';
import { usbDeviceId, usbPathId } from '../deviceIds.js';
import { usbDeviceName } from '../deviceNames.js';
import { nodeHidBackend, type HidBackend, type HidDeviceInfo } from './backend.js';
import { HidWatcher } from './HidWatcher.js';
import { NodeHidConnection } from './NodeHidConnection.js';

export interface UsbSourceOptions extends DeviceSourceBaseOptions {
  /** USB HID access: a backend, or how to load one. @default node-hid, loaded by start() */
  hid?: HidBackend | (() => Promise<HidBackend>);
  /** Time between two looks at the USB device list. @default 500 */
  pollIntervalMs?: number;
  /** Read getInfo from each key as it appears (it is listed at once and a `changed` event follows). @default true */
  readInfo?: boolean;
}

const NOT_STARTED: TransportStatus = { transport: 'usb', state: 'unavailable', reason: 'not started' };

/** Keys are known by their HID path; their ids prefer the serial number, which survives replugging. */
export class UsbSource extends DeviceSourceBase {
  readonly transport = 'usb' as const;
  private readonly readInfo: boolean;
  private backend: HidBackend | undefined;
  private watcher: HidWatcher | undefined;
  private current: TransportStatus = NOT_STARTED;
  private started = false;

  constructor(private readonly opts: UsbSourceOptions = {}) {
    super(opts);
    this.readInfo = opts.readInfo ?? true;
  }

  override status(): TransportStatus {
    return { ...this.current };
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const option = this.opts.hid;
    let backend: HidBackend;
    try {
      backend = option === undefined ? await nodeHidBackend() : typeof option === 'function' ? await option() : option;
    } catch (error) {
      this.setStatus(
        'unavailable',
        `USB security keys cannot be used: node-hid could not be loaded (${message(error)}).`,
      );
      return;
    }
    this.backend = backend;
    // Every poll's outcome sets the status, so a listing that fails and later works again is seen both ways.
    const observed: HidBackend = {
      devicesAsync: async () => {
        try {
          const list = await backend.devicesAsync();
          this.setStatus('available');
          return list;
        } catch (error) {
          this.setStatus('unavailable', `USB security keys cannot be listed: ${message(error)}`);
          throw error;
        }
      },
      open: (path) => backend.open(path),
    };
    const watcher = new HidWatcher(
      observed,
      this.opts.pollIntervalMs === undefined ? {} : { intervalMs: this.opts.pollIntervalMs },
    );
    this.watcher = watcher;
    watcher.on('added', (device) => this.added(device));
    watcher.on('removed', (device) => this.unlistDevice(device.path!));
    // The status already says what went wrong; the watcher keeps polling and recovers on its own.
    watcher.on('error', (error) => this.logger.debug(`USB device list failed: ${error.message}`));
    await watcher.start();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.watcher?.stop();
    this.watcher?.removeAllListeners();
    this.watcher = undefined;
    this.backend = undefined;
    this.forgetAll();
    this.current = NOT_STARTED;
    await this.settled();
  }

  protected async connect(path: string): Promise<CtapDevice> {
    const backend = this.backend;
    if (!backend) throw new ClientError('no-device', 'USB is not available.');
    const conn = await NodeHidConnection.open(backend, path);
    return CtapHidDevice.open(conn).catch(async (error: unknown) => {
      await conn.close();
      throw error;
    });
  }

  protected nameFor(_path: string, info: DeviceDescription, model: string | undefined): string {
    return info.usb ? usbDeviceName(info.usb, model) : info.name;
  }

  private added(device: HidDeviceInfo): void {
    const path = device.path!;
    const usb: NonNullable<DeviceDescription['usb']> = { path, vendorId: device.vendorId, productId: device.productId };
    if (device.product) usb.product = device.product;
    if (device.manufacturer) usb.manufacturer = device.manufacturer;
    if (device.serialNumber) usb.serialNumber = device.serialNumber;
    // Two keys with the same serial number (some makers give every key the same one): the second is known by its path.
    const ids = [...new Set([usbDeviceId(device), usbPathId(path)])];
    this.listDevice(
      { key: path, ids, info: { transport: 'usb', name: usbDeviceName(device), usb } },
      { read: this.readInfo },
    );
  }

  private setStatus(state: TransportStatus['state'], reason?: string): void {
    if (!this.started) return;
    const status: TransportStatus =
      reason === undefined ? { transport: 'usb', state } : { transport: 'usb', state, reason };
    if (this.current.state === status.state && this.current.reason === status.reason) return;
    this.current = status;
    this.emit('status', { ...status });
  }
}
