// In-process virtual keys (a VirtualAuthenticator: the demo key, tests) listed beside real ones, over in-memory CTAPHID.

import { CtapHidDevice, type CtapDevice, type HidConnection } from '../../../ctap/index.js';
import type { DeviceDescription } from '../DeviceSource.js';
import { DeviceSourceBase, type DeviceSourceBaseOptions } from '../DeviceSourceBase.js';
import { virtualDeviceId } from '../deviceIds.js';

/** Anything with in-memory HID connections, such as a VirtualAuthenticator. */
export interface VirtualKey {
  hidConnection(): HidConnection;
}

export interface VirtualSourceOptions extends DeviceSourceBaseOptions {
  /** Read getInfo from each key as it is added, for its AAGUID, versions and model. @default true */
  readInfo?: boolean;
}

/** Keys are known by the name they were added under, which they keep (a virtual key has no model of its own to show). */
export class VirtualSource extends DeviceSourceBase {
  readonly transport = 'virtual' as const;
  private readonly keys = new Map<string, VirtualKey>();
  private readonly readInfo: boolean;
  private count = 0;

  constructor(opts: VirtualSourceOptions = {}) {
    super(opts);
    this.readInfo = opts.readInfo ?? true;
  }

  /** Virtual keys are there as soon as they are added: nothing to start. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.keys.clear();
    this.forgetAll();
    await this.settled();
  }

  /** Lists `key` under `name` (default "Virtual key <n>"); resolves once its getInfo is read. */
  async add(key: VirtualKey, opts: { name?: string } = {}): Promise<string> {
    const name = opts.name ?? `Virtual key ${++this.count}`;
    if (this.keys.has(name)) throw new RangeError(`a virtual key named "${name}" is already listed`);
    this.keys.set(name, key);
    this.listDevice(
      { key: name, ids: [virtualDeviceId(name)], info: { transport: 'virtual', name } },
      { read: this.readInfo },
    );
    await this.reading(name);
    return name;
  }

  /** Takes the key listed as `name` away; false when there is none. */
  delete(name: string): boolean {
    if (!this.keys.delete(name)) return false;
    this.unlistDevice(name);
    return true;
  }

  protected async connect(name: string): Promise<CtapDevice> {
    const key = this.keys.get(name);
    if (!key) throw new RangeError(`no virtual key named "${name}"`);
    return CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
  }

  protected nameFor(_name: string, info: DeviceDescription): string {
    return info.name;
  }
}
