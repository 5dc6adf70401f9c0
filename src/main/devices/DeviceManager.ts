// One list of security keys merged from a source per transport (USB, NFC, virtual...): ids, events, opening, touch-to-select.

import { EventEmitter } from 'node:events';
import {
  ClientError,
  selectByTouch as selectTouchedKey,
  type CtapLogger,
  type CtapNfcDeviceOptions,
} from '../../ctap/index.js';
import type { DeviceInfo, TransportStatus } from './DeviceInfo.js';
import type { DeviceSource, SourceDevice } from './DeviceSource.js';
import type { HidBackend } from './hid/backend.js';
import { UsbSource } from './hid/UsbSource.js';
import type { OpenedDevice } from './OpenedDevice.js';
import type { PcscServiceOptions } from './pcsc/PcscService.js';
import { PcscSource } from './pcsc/PcscSource.js';
import { readAuthenticator } from './readAuthenticator.js';
import { VirtualSource, type VirtualKey } from './virtual/VirtualSource.js';

export interface DeviceManagerOptions {
  /** USB HID access: a backend, how to load one, or false to leave USB out. @default node-hid, loaded by start() */
  hid?: HidBackend | (() => Promise<HidBackend>) | false;
  /** Time between two looks at the USB device list (node-hid has no hotplug events). @default 500 */
  hidPollIntervalMs?: number;
  /** Options of the PC/SC service that finds NFC keys, or false to leave NFC out. @default pcsc-mini */
  pcsc?: PcscServiceOptions | false;
  /** How often to try PC/SC again while it is unavailable (pcscd not running, or stopped); 0 never. @default 5000 */
  pcscRetryMs?: number;
  /** How NFC keys are driven (extended APDUs, chunk size, polling). @default CtapNfcDevice's defaults */
  nfc?: CtapNfcDeviceOptions;
  /** How long start() waits for PC/SC's first report of readers (only a machine without readers waits it out). @default 500 */
  pcscFirstReportMs?: number;
  /**
   * Read getInfo from each USB and virtual key as it appears, for its AAGUID, versions and model name (the key is
   * listed at once and a `changed` event follows). NFC cards are always read before they are listed: only the FIDO
   * applet's answer tells a security key from a bank card. @default true
   */
  readInfo?: boolean;
  /** How long reading a key's getInfo may take. @default 5000 */
  readTimeoutMs?: number;
  /** Where skipped cards and failed reads are noted (debug) and non-canonical keys warned about. @default silent */
  logger?: CtapLogger;
  /** More sources (e.g. Windows' webauthn.dll, BLE), listed after NFC and before virtual keys. @default none */
  sources?: readonly DeviceSource[];
}

export interface DeviceManagerEvents {
  added: [device: DeviceInfo];
  removed: [device: DeviceInfo];
  /** What is known about a listed key changed: its getInfo was read (AAGUID, versions, a better name) or failed. */
  changed: [device: DeviceInfo];
  /** A transport became available or unavailable. */
  transport: [status: TransportStatus];
}

export interface DeviceSelectionOptions {
  /** Cancels the wait for a touch; every key is cancelled. */
  signal?: AbortSignal;
  /** How long each key waits for the touch. @default 30000 */
  timeoutMs?: number;
}

interface Entry {
  readonly source: DeviceSource;
  /** The source's handle on the key. */
  readonly key: string;
  info: DeviceInfo;
}

/**
 * The main-process device service: merges the keys of its sources into one list and gives each a stable id (ids are
 * formed in deviceIds.ts; a source proposes them, the manager keeps them unique). A transport that cannot work here
 * (pcscd not running, node-hid failing) is reported by `transports()` and the `transport` event with its reason; it
 * never makes the manager fail.
 */
export class DeviceManager extends EventEmitter<DeviceManagerEvents> {
  private readonly sources: DeviceSource[];
  private readonly usb: UsbSource | undefined;
  private readonly nfc: PcscSource | undefined;
  private readonly virtual: VirtualSource;
  private readonly entries = new Map<string, Entry>();
  /** Per source, the id each of its keys is listed under. */
  private readonly ids = new Map<DeviceSource, Map<string, string>>();
  private readonly readTimeoutMs: number;
  private readonly logger: CtapLogger | undefined;
  private started = false;

  constructor(opts: DeviceManagerOptions = {}) {
    super();
    this.readTimeoutMs = opts.readTimeoutMs ?? 5_000;
    this.logger = opts.logger;
    const shared = { readTimeoutMs: this.readTimeoutMs, ...(opts.logger ? { logger: opts.logger } : {}) };
    const readInfo = opts.readInfo ?? true;
    if (opts.hid !== false) {
      this.usb = new UsbSource({
        ...shared,
        readInfo,
        ...(opts.hid ? { hid: opts.hid } : {}),
        ...(opts.hidPollIntervalMs === undefined ? {} : { pollIntervalMs: opts.hidPollIntervalMs }),
      });
    }
    if (opts.pcsc !== false) {
      this.nfc = new PcscSource({
        ...shared,
        ...(opts.pcsc ? { pcsc: opts.pcsc } : {}),
        ...(opts.pcscRetryMs === undefined ? {} : { retryMs: opts.pcscRetryMs }),
        ...(opts.nfc ? { nfc: opts.nfc } : {}),
        ...(opts.pcscFirstReportMs === undefined ? {} : { firstReportMs: opts.pcscFirstReportMs }),
      });
    }
    this.virtual = new VirtualSource({ ...shared, readInfo });
    this.sources = [this.usb, this.nfc, ...(opts.sources ?? []), this.virtual].filter(
      (s): s is DeviceSource => s !== undefined,
    );
    for (const source of this.sources) this.follow(source);
  }

  /**
   * Starts every source. Resolves once the keys present now are listed and read, so a one-shot caller (the CLI) can
   * list them right away. Never rejects for a transport that does not work: see transports().
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await Promise.all(this.sources.map((s) => s.start()));
    await this.settled();
  }

  /** Stops following keys and forgets them (without events). Devices already opened stay the caller's to close. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Forgotten first, so what the sources still report while they stop finds nothing to update or announce.
    this.entries.clear();
    this.ids.clear();
    await Promise.all(this.sources.map((s) => s.stop()));
  }

  /** Resolves when no key is being read. */
  async settled(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.settled()));
  }

  /** Every listed key, by source (USB first, then NFC, then virtual), by id within each (so the order does not depend on read timing). */
  list(): DeviceInfo[] {
    const rank = (e: Entry): number => this.sources.indexOf(e.source);
    return [...this.entries.values()]
      .sort((a, b) => rank(a) - rank(b) || (a.info.id < b.info.id ? -1 : a.info.id > b.info.id ? 1 : 0))
      .map((e) => snapshot(e.info));
  }

  get(id: string): DeviceInfo | undefined {
    const entry = this.entries.get(id);
    return entry && snapshot(entry.info);
  }

  /** USB then NFC (then any added source that has a status): whether each works here, and why not. */
  transports(): TransportStatus[] {
    const off = (transport: TransportStatus['transport']): TransportStatus => ({ transport, state: 'off' });
    const extra = this.sources.filter((s) => s !== this.usb && s !== this.nfc).flatMap((s) => s.status() ?? []);
    return [this.usb?.status() ?? off('usb'), this.nfc?.status() ?? off('nfc'), ...extra];
  }

  /** Lists an in-process virtual key (e.g. a VirtualAuthenticator) as `virtual:<name>`; resolves once it is read. */
  async addVirtual(key: VirtualKey, opts: { name?: string } = {}): Promise<DeviceInfo> {
    const name = await this.virtual.add(key, opts);
    const id = this.ids.get(this.virtual)?.get(name);
    const entry = id === undefined ? undefined : this.entries.get(id);
    if (!entry) throw new ClientError('no-device', `The virtual key "${name}" was removed while it was being read.`);
    return snapshot(entry.info);
  }

  removeVirtual(id: string): boolean {
    const entry = this.entries.get(id);
    if (entry?.source !== this.virtual) return false;
    return this.virtual.delete(entry.key);
  }

  /**
   * Opens a listed key: its CtapDevice with a Ctap2 (getInfo read), or a Ctap1 when it speaks only U2F. Rejects with
   * ClientError('no-device') for an id that is not listed, and with the transport's explanation when opening is
   * refused (a missing udev rule, another application holding the key, Windows' administrator restriction).
   */
  async open(id: string, opts: { signal?: AbortSignal } = {}): Promise<OpenedDevice> {
    const entry = this.entries.get(id);
    if (!entry) throw this.noSuchDevice(id);
    const device = await entry.source.open(entry.key);
    try {
      const logger = this.logger ? { logger: this.logger } : {};
      const { opened, facts } = await readAuthenticator(device, { timeoutMs: this.readTimeoutMs, ...logger, ...opts });
      // The source announces what is news as `changed`, which updates entry.info before this returns.
      entry.source.learn(entry.key, facts);
      return { ...opened, info: snapshot(entry.info) };
    } catch (error) {
      await device.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * "Touch the key you want": opens the keys (`ids`, or every listed key, whatever its source), asks them all for a
   * touch and resolves with the one touched, opened; the others are cancelled and closed. With a single key there is
   * nothing to choose and it is returned at once. U2F-only keys cannot take part (CTAP2 selection needs CTAP2), nor can
   * keys that fail to open; when none opens, the first failure is thrown.
   */
  async selectByTouch(ids?: readonly string[], opts: DeviceSelectionOptions = {}): Promise<OpenedDevice> {
    const wanted = ids ?? [...this.entries.keys()];
    if (wanted.length === 0) throw this.noSuchDevice();
    const results = await Promise.allSettled(wanted.map((id) => this.open(id)));
    const opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const closeAllBut = (keep?: OpenedDevice): Promise<unknown> =>
      Promise.allSettled(opened.filter((o) => o !== keep).map((o) => o.device.close()));
    if (opened.length === 0) throw (results[0] as PromiseRejectedResult).reason;
    if (opened.length === 1) return opened[0]!;
    const candidates = opened.filter((o) => o.ctap2 !== undefined);
    if (candidates.length === 0) {
      await closeAllBut();
      throw new ClientError(
        'device-not-supported',
        'None of these keys can be chosen by touch: they speak only U2F. Choose one by its id.',
      );
    }
    let winner: OpenedDevice | undefined;
    try {
      const index =
        candidates.length === 1
          ? 0
          : await selectTouchedKey(
              candidates.map((c) => c.ctap2!),
              opts,
            );
      winner = candidates[index]!;
      return winner;
    } finally {
      await closeAllBut(winner);
    }
  }

  private follow(source: DeviceSource): void {
    source.on('added', (device) => this.added(source, device));
    source.on('removed', (key) => this.removed(source, key));
    source.on('changed', (device) => {
      const entry = this.entryOf(source, device.key);
      if (!entry) return;
      entry.info = { id: entry.info.id, ...device.info };
      this.emit('changed', snapshot(entry.info));
    });
    source.on('status', (status) => this.emit('transport', { ...status }));
  }

  private added(source: DeviceSource, device: SourceDevice): void {
    // A source that lists a key again without removing it first replaces the old listing.
    this.removed(source, device.key);
    const id = this.freeId(device.ids);
    const entry: Entry = { source, key: device.key, info: { id, ...device.info } };
    this.entries.set(id, entry);
    let ids = this.ids.get(source);
    if (!ids) this.ids.set(source, (ids = new Map()));
    ids.set(device.key, id);
    this.emit('added', snapshot(entry.info));
  }

  private removed(source: DeviceSource, key: string): void {
    const entry = this.entryOf(source, key);
    if (!entry) return;
    this.entries.delete(entry.info.id);
    this.ids.get(source)?.delete(key);
    this.emit('removed', snapshot(entry.info));
  }

  private entryOf(source: DeviceSource, key: string): Entry | undefined {
    const id = this.ids.get(source)?.get(key);
    return id === undefined ? undefined : this.entries.get(id);
  }

  /** The first proposed id no listed key holds; numbered after the first one if every one is taken. */
  private freeId(proposed: readonly string[]): string {
    const free = proposed.find((id) => !this.entries.has(id));
    if (free !== undefined) return free;
    for (let n = 2; ; n++) if (!this.entries.has(`${proposed[0]}#${n}`)) return `${proposed[0]}#${n}`;
  }

  private noSuchDevice(id?: string): ClientError {
    const present = [...this.entries.keys()];
    const why = this.transports()
      .filter((t) => t.state === 'unavailable' && t.reason)
      .map((t) => ` ${t.reason}`)
      .join('');
    if (id === undefined || present.length === 0) {
      return new ClientError('no-device', `No security key found: plug one in or put it on an NFC reader.${why}`);
    }
    return new ClientError(
      'no-device',
      `No security key with id "${id}"; connected: ${present.map((p) => `"${p}"`).join(', ')}.`,
    );
  }
}

/** A copy the receiver may keep or change without touching the manager's record. */
function snapshot(info: DeviceInfo): DeviceInfo {
  return structuredClone(info);
}
