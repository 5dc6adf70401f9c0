// Notices FIDO keys plugged in and pulled out by polling node-hid's device list (it has no hotplug events).

import { EventEmitter } from 'node:events';
import type { HidBackend, HidDeviceInfo } from './backend.js';
import { fidoInterfaces } from './fidoInterfaces.js';

export interface HidWatcherOptions {
  /** Time between two looks at the device list. @default 500 */
  intervalMs?: number;
}

export interface HidWatcherEvents {
  added: [HidDeviceInfo];
  removed: [HidDeviceInfo];
  error: [Error];
}

export class HidWatcher extends EventEmitter<HidWatcherEvents> {
  private known = new Map<string, HidDeviceInfo>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly intervalMs: number;

  constructor(
    private readonly backend: HidBackend,
    opts: HidWatcherOptions = {},
  ) {
    super();
    this.intervalMs = opts.intervalMs ?? 500;
  }

  /** FIDO interfaces present at the last poll. */
  get devices(): HidDeviceInfo[] {
    return [...this.known.values()];
  }

  /** Polls once now (so `devices` is filled when this resolves), then every intervalMs. */
  async start(): Promise<void> {
    if (this.timer) return;
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    // A watcher alone must not keep the CLI or a test process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the device list, diffed by path against the last. Overlapping polls share one look. */
  poll(): Promise<void> {
    this.polling ??= this.diff().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async diff(): Promise<void> {
    let list: HidDeviceInfo[];
    try {
      list = fidoInterfaces(await this.backend.devicesAsync());
    } catch (error) {
      this.emit('error', error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const now = new Map(list.map((d) => [d.path!, d]));
    for (const [path, device] of this.known) if (!now.has(path)) this.emit('removed', device);
    for (const [path, device] of now) if (!this.known.has(path)) this.emit('added', device);
    this.known = now;
  }
}
