// What every device source shares: its list of keys, reading each key's getInfo in the background, and learning from it.

import { EventEmitter } from 'node:events';
import { ClientError, toClientError, type CtapDevice, type CtapLogger } from '../../ctap/index.js';
import type { DeviceTransport, TransportStatus } from './DeviceInfo.js';
import type { DeviceDescription, DeviceSource, DeviceSourceEvents, SourceDevice } from './DeviceSource.js';
import { readAuthenticator, type AuthenticatorFacts } from './readAuthenticator.js';

export interface DeviceSourceBaseOptions {
  /** How long reading a key's getInfo may take. @default 5000 */
  readTimeoutMs?: number;
  /** Where failed reads are noted (debug) and non-canonical keys warned about. @default silent */
  logger?: CtapLogger;
}

interface Entry {
  device: SourceDevice;
  /** The getInfo read in progress; open() waits for it so two exchanges never meet on one key. */
  reading?: Promise<void>;
}

const silent: CtapLogger = { debug: () => undefined, warn: () => undefined };

export abstract class DeviceSourceBase extends EventEmitter<DeviceSourceEvents> implements DeviceSource {
  abstract readonly transport: DeviceTransport;
  protected readonly readTimeoutMs: number;
  protected readonly logger: CtapLogger;
  private readonly entries = new Map<string, Entry>();
  private readonly pendingReads = new Set<Promise<void>>();

  protected constructor(opts: DeviceSourceBaseOptions) {
    super();
    this.readTimeoutMs = opts.readTimeoutMs ?? 5_000;
    this.logger = opts.logger ?? silent;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  /** Opens a connection to the key `key` (listed, and not being read). */
  protected abstract connect(key: string): Promise<CtapDevice>;

  /** What to call the key once it has said its model (undefined when it has none in the table, or speaks only U2F). */
  protected abstract nameFor(key: string, info: DeviceDescription, model: string | undefined): string;

  status(): TransportStatus | undefined {
    return undefined;
  }

  async settled(): Promise<void> {
    while (this.pendingReads.size > 0) await Promise.allSettled([...this.pendingReads]);
  }

  list(): SourceDevice[] {
    return [...this.entries.values()].map((e) => copy(e.device));
  }

  async open(key: string): Promise<CtapDevice> {
    const entry = this.entries.get(key);
    if (!entry) throw new ClientError('no-device', `No ${this.transport} security key "${key}" is listed.`);
    await entry.reading;
    return this.connect(key);
  }

  learn(key: string, facts: AuthenticatorFacts): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    const info: DeviceDescription = { ...entry.device.info };
    delete info.problem;
    delete info.aaguid;
    delete info.model;
    applyFacts(info, facts);
    info.name = this.nameFor(key, info, facts.model);
    this.update(entry, info);
  }

  /** Lists a key and announces it; with `read`, reads its getInfo in the background (a `changed` event follows). */
  protected listDevice(device: SourceDevice, opts: { read: boolean }): void {
    const entry: Entry = { device };
    this.entries.set(device.key, entry);
    this.emit('added', copy(device));
    if (opts.read) this.readInBackground(entry);
  }

  protected has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The read of the key `key` in progress, if any. */
  protected reading(key: string): Promise<void> | undefined {
    return this.entries.get(key)?.reading;
  }

  protected unlistDevice(key: string): void {
    if (!this.entries.delete(key)) return;
    this.emit('removed', key);
  }

  /** Forgets every key without events (on stop): reads still finishing find nothing to update or announce. */
  protected forgetAll(): void {
    this.entries.clear();
  }

  /** Counts `run` as a read in progress for settled(). */
  protected track(run: Promise<void>): void {
    this.pendingReads.add(run);
    void run.finally(() => this.pendingReads.delete(run));
  }

  private readInBackground(entry: Entry): void {
    const key = entry.device.key;
    const run = (async () => {
      let device: CtapDevice | undefined;
      try {
        device = await this.connect(key);
        const { facts } = await readAuthenticator(device, { timeoutMs: this.readTimeoutMs, logger: this.logger });
        this.learn(key, facts);
      } catch (error) {
        if (this.entries.get(key) !== entry) return;
        this.logger.debug(`Reading ${this.transport} key ${key} failed: ${message(error)}`);
        const problem = toClientError(error).message;
        if (entry.device.info.problem !== problem) this.update(entry, { ...entry.device.info, problem });
      } finally {
        await device?.close().catch(() => undefined);
      }
    })();
    entry.reading = run;
    this.track(run);
  }

  private update(entry: Entry, info: DeviceDescription): void {
    if (JSON.stringify(info) === JSON.stringify(entry.device.info)) return;
    entry.device = { ...entry.device, info };
    if (this.entries.get(entry.device.key) === entry) this.emit('changed', copy(entry.device));
  }
}

/** Copies what a key said about itself into its description. */
export function applyFacts(info: DeviceDescription, facts: AuthenticatorFacts): void {
  if (facts.aaguid !== undefined) info.aaguid = facts.aaguid;
  if (facts.model !== undefined) info.model = facts.model;
  info.versions = [...facts.versions];
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A copy the receiver may keep or change without touching the source's record. */
function copy(device: SourceDevice): SourceDevice {
  return structuredClone(device);
}
