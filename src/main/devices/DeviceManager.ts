// One list of security keys over USB, NFC and in-process virtual keys, with hotplug events, opening and touch-to-select.

import { EventEmitter } from 'node:events';
import {
  ClientError,
  type CtapDevice,
  CtapHidDevice,
  type CtapLogger,
  CtapNfcDevice,
  type CtapNfcDeviceOptions,
  type HidConnection,
  type OpenedAuthenticator,
  selectByTouch as selectTouchedKey,
  silentLogger,
  toClientError,
  TransportError,
} from '../../ctap/index.js';
import type { DeviceInfo, DeviceTransport, TransportStatus } from './DeviceInfo.js';
import { nfcDeviceId, usbDeviceId, usbPathId, virtualDeviceId } from './deviceIds.js';
import { nfcDeviceName, usbDeviceName } from './deviceNames.js';
import { nodeHidBackend, type HidBackend, type HidDeviceInfo } from './hid/backend.js';
import { HidWatcher } from './hid/HidWatcher.js';
import { NodeHidConnection } from './hid/NodeHidConnection.js';
import { PcscService, type PcscServiceOptions } from './pcsc/PcscService.js';
import { readAuthenticator, type AuthenticatorFacts } from './readAuthenticator.js';
import { isVirtualCardAtr } from '../../ctap/virtual/index.js';

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
  /**
   * Read getInfo from each USB and virtual key as it appears, for its AAGUID, versions and model name (the key is
   * listed at once and a `changed` event follows). NFC cards are always read before they are listed: only the FIDO
   * applet's answer tells a security key from a bank card. @default true
   */
  readInfo?: boolean;
  /** How long reading a new key's getInfo may take. @default 5000 */
  readTimeoutMs?: number;
  /** Where skipped cards and failed reads are noted (debug) and non-canonical keys warned about. @default silent */
  logger?: CtapLogger;
}

export interface DeviceManagerEvents {
  added: [device: DeviceInfo];
  removed: [device: DeviceInfo];
  /** What is known about a listed key changed: its getInfo was read (AAGUID, versions, a better name) or failed. */
  changed: [device: DeviceInfo];
  /** A transport became available or unavailable. */
  transport: [status: TransportStatus];
}

/** A key opened for use, with what the list says about it. Close `device` when done; nothing else holds it open. */
export type OpenedDevice = OpenedAuthenticator & { readonly info: DeviceInfo };

export interface DeviceSelectionOptions {
  /** Cancels the wait for a touch; every key is cancelled. */
  signal?: AbortSignal;
  /** How long each key waits for the touch. @default 30000 */
  timeoutMs?: number;
}

/** Anything with in-memory HID connections, such as a VirtualAuthenticator. */
export interface VirtualKey {
  hidConnection(): HidConnection;
}

type Source =
  | { kind: 'usb'; path: string }
  | { kind: 'nfc'; reader: string; latchkeyCard: boolean }
  | { kind: 'virtual'; key: VirtualKey };

interface Entry {
  info: DeviceInfo;
  readonly source: Source;
  /** The getInfo read in progress; open() waits for it so two exchanges never meet on one key. */
  reading?: Promise<void>;
}

/** How long PC/SC must stay silent after starting before its first burst of readers and cards counts as complete. */
const PCSC_QUIET_MS = 50;
const PCSC_SETTLE_MAX_MS = 500;

/**
 * The main-process device service: follows USB keys (polling node-hid), NFC keys (PC/SC card events) and virtual keys,
 * and gives each a stable id. A transport that cannot work here (pcscd not running, node-hid failing) is reported by
 * `transports()` and the `transport` event with its reason; it never makes the manager fail.
 */
export class DeviceManager extends EventEmitter<DeviceManagerEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly usbIds = new Map<string, string>();
  private readonly statuses = new Map<TransportStatus['transport'], TransportStatus>();
  /** Bumped on every card event per reader, so a read that finishes after the card left is dropped. */
  private readonly cardGeneration = new Map<string, number>();
  private readonly pendingReads = new Set<Promise<void>>();
  private readonly readInfo: boolean;
  private readonly readTimeoutMs: number;
  private readonly pcscRetryMs: number;
  private readonly logger: CtapLogger;
  private hidBackend: HidBackend | undefined;
  private watcher: HidWatcher | undefined;
  private pcsc: PcscService | undefined;
  private pcscRetry: NodeJS.Timeout | undefined;
  private lastPcscEventAt = 0;
  private started = false;
  private virtualCount = 0;

  constructor(private readonly opts: DeviceManagerOptions = {}) {
    super();
    this.readInfo = opts.readInfo ?? true;
    this.readTimeoutMs = opts.readTimeoutMs ?? 5_000;
    this.pcscRetryMs = opts.pcscRetryMs ?? 5_000;
    this.logger = opts.logger ?? silentLogger;
    this.resetStatuses();
  }

  /**
   * Starts following USB and NFC. Resolves once the keys present now are listed and read, so a one-shot caller (the
   * CLI) can list them right away. Never rejects for a transport that does not work: see transports().
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await Promise.all([this.startUsb(), this.startNfc()]);
    await this.settled();
  }

  /** Stops following keys and forgets them (without events). Devices already opened stay the caller's to close. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.watcher?.stop();
    this.watcher?.removeAllListeners();
    this.watcher = undefined;
    clearTimeout(this.pcscRetry);
    this.pcscRetry = undefined;
    const pcsc = this.pcsc;
    this.pcsc = undefined;
    pcsc?.removeAllListeners();
    const pcscStopped = pcsc?.stop();
    // Forgotten first, so reads still finishing find nothing to update or announce.
    this.entries.clear();
    this.usbIds.clear();
    this.cardGeneration.clear();
    this.resetStatuses();
    await Promise.all([this.settled(), pcscStopped]);
  }

  /** Resolves when no key is being read. */
  async settled(): Promise<void> {
    while (this.pendingReads.size > 0) await Promise.allSettled([...this.pendingReads]);
  }

  /** Every listed key, USB first, then NFC, then virtual, by id within each (so the order does not depend on read timing). */
  list(): DeviceInfo[] {
    const order: Record<DeviceTransport, number> = { usb: 0, nfc: 1, virtual: 2 };
    return [...this.entries.values()]
      .map((e) => snapshot(e.info))
      .sort((a, b) => order[a.transport] - order[b.transport] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: string): DeviceInfo | undefined {
    const entry = this.entries.get(id);
    return entry && snapshot(entry.info);
  }

  /** USB then NFC: whether each works here, and why not. */
  transports(): TransportStatus[] {
    return [...this.statuses.values()].map((s) => ({ ...s }));
  }

  /** Lists an in-process virtual key (e.g. a VirtualAuthenticator) as `virtual:<name>`; resolves once it is read. */
  async addVirtual(key: VirtualKey, opts: { name?: string } = {}): Promise<DeviceInfo> {
    const name = opts.name ?? `Virtual key ${++this.virtualCount}`;
    const id = virtualDeviceId(name);
    if (this.entries.has(id)) throw new RangeError(`a virtual key named "${name}" is already listed`);
    const entry: Entry = { info: { id, transport: 'virtual', name }, source: { kind: 'virtual', key } };
    this.entries.set(id, entry);
    this.emit('added', snapshot(entry.info));
    if (this.readInfo) {
      this.readEntry(entry);
      await entry.reading;
    }
    return snapshot(entry.info);
  }

  removeVirtual(id: string): boolean {
    const entry = this.entries.get(id);
    if (entry?.source.kind !== 'virtual') return false;
    this.remove(id);
    return true;
  }

  /**
   * Opens a listed key: its CtapDevice with a Ctap2 (getInfo read), or a Ctap1 when it speaks only U2F. Rejects with
   * ClientError('no-device') for an id that is not listed, and with the transport's explanation when opening is
   * refused (a missing udev rule, another application holding the key, Windows' administrator restriction).
   */
  async open(id: string, opts: { signal?: AbortSignal } = {}): Promise<OpenedDevice> {
    const entry = this.entries.get(id);
    if (!entry) throw this.noSuchDevice(id);
    await entry.reading;
    const device = await this.connect(entry.source);
    try {
      const { opened, facts } = await readAuthenticator(device, { timeoutMs: this.readTimeoutMs, logger: this.logger, ...opts });
      this.learn(entry, facts);
      return { ...opened, info: snapshot(entry.info) };
    } catch (error) {
      await device.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * "Touch the key you want": opens the keys (`ids`, or every listed key), asks them all for a touch and resolves with
   * the one touched, opened; the others are cancelled and closed. With a single key there is nothing to choose and it
   * is returned at once. U2F-only keys cannot take part (CTAP2 selection needs CTAP2), nor can keys that fail to
   * open; when none opens, the first failure is thrown.
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
      throw new ClientError('device-not-supported', 'None of these keys can be chosen by touch: they speak only U2F. Choose one by its id.');
    }
    let winner: OpenedDevice | undefined;
    try {
      const index = candidates.length === 1 ? 0 : await selectTouchedKey(candidates.map((c) => c.ctap2!), opts);
      winner = candidates[index]!;
      return winner;
    } finally {
      await closeAllBut(winner);
    }
  }

  // ---- USB ----

  private async startUsb(): Promise<void> {
    const option = this.opts.hid;
    if (option === false) return;
    let backend: HidBackend;
    try {
      backend = option === undefined ? await nodeHidBackend() : typeof option === 'function' ? await option() : option;
    } catch (error) {
      this.setStatus('usb', 'unavailable', `USB security keys cannot be used: node-hid could not be loaded (${message(error)}).`);
      return;
    }
    this.hidBackend = backend;
    // Every poll's outcome sets the status, so a listing that fails and later works again is seen both ways.
    const observed: HidBackend = {
      devicesAsync: async () => {
        try {
          const list = await backend.devicesAsync();
          this.setStatus('usb', 'available');
          return list;
        } catch (error) {
          this.setStatus('usb', 'unavailable', `USB security keys cannot be listed: ${message(error)}`);
          throw error;
        }
      },
      open: (path) => backend.open(path),
    };
    const watcher = new HidWatcher(observed, this.opts.hidPollIntervalMs === undefined ? {} : { intervalMs: this.opts.hidPollIntervalMs });
    this.watcher = watcher;
    watcher.on('added', (device) => this.usbAdded(device));
    watcher.on('removed', (device) => {
      const id = this.usbIds.get(device.path!);
      if (id !== undefined) this.remove(id);
    });
    // The status already says what went wrong; the watcher keeps polling and recovers on its own.
    watcher.on('error', (error) => this.logger.debug(`USB device list failed: ${error.message}`));
    await watcher.start();
  }

  private usbAdded(device: HidDeviceInfo): void {
    const path = device.path!;
    let id = usbDeviceId(device);
    // Two keys with the same serial number (some makers give every key the same one): the second is known by its path.
    if (this.entries.has(id)) id = usbPathId(path);
    const usb: NonNullable<DeviceInfo['usb']> = { path, vendorId: device.vendorId, productId: device.productId };
    if (device.product) usb.product = device.product;
    if (device.manufacturer) usb.manufacturer = device.manufacturer;
    if (device.serialNumber) usb.serialNumber = device.serialNumber;
    const entry: Entry = { info: { id, transport: 'usb', name: usbDeviceName(device), usb }, source: { kind: 'usb', path } };
    this.entries.set(id, entry);
    this.usbIds.set(path, id);
    this.emit('added', snapshot(entry.info));
    if (this.readInfo) this.readEntry(entry);
  }

  // ---- NFC ----

  private async startNfc(): Promise<void> {
    const option = this.opts.pcsc;
    if (option === false) return;
    const service = new PcscService(option ?? {});
    this.pcsc = service;
    const touched = (): void => {
      this.lastPcscEventAt = Date.now();
    };
    service.on('reader-added', touched);
    service.on('reader-removed', touched);
    service.on('card-inserted', (reader) => {
      touched();
      this.cardInserted(reader);
    });
    service.on('card-removed', (reader) => {
      touched();
      this.cardGeneration.set(reader, (this.cardGeneration.get(reader) ?? 0) + 1);
      const id = nfcDeviceId(reader);
      if (this.entries.has(id)) this.remove(id);
    });
    service.on('stopped', (error) => {
      this.setStatus('nfc', 'unavailable', error.message);
      this.retryPcsc();
    });
    await this.tryStartPcsc();
  }

  private async tryStartPcsc(): Promise<void> {
    const service = this.pcsc;
    if (!service || !this.started) return;
    try {
      await service.start();
    } catch (error) {
      this.setStatus('nfc', 'unavailable', `NFC security keys cannot be used: ${message(error)}`);
      this.retryPcsc();
      return;
    }
    this.setStatus('nfc', 'available');
    // PC/SC reports the readers and cards present at start right away, but as events: wait for that burst to end.
    const startedAt = Date.now();
    this.lastPcscEventAt = startedAt;
    while (Date.now() - this.lastPcscEventAt < PCSC_QUIET_MS && Date.now() - startedAt < PCSC_SETTLE_MAX_MS) await sleep(10);
  }

  private retryPcsc(): void {
    if (this.pcscRetryMs <= 0 || !this.started || this.pcscRetry) return;
    this.pcscRetry = setTimeout(() => {
      this.pcscRetry = undefined;
      void this.tryStartPcsc();
    }, this.pcscRetryMs);
    // A manager waiting for pcscd must not keep the process alive by itself.
    this.pcscRetry.unref();
  }

  private cardInserted(reader: string): void {
    const generation = (this.cardGeneration.get(reader) ?? 0) + 1;
    this.cardGeneration.set(reader, generation);
    // The service reports the cards already present from inside start(), before it takes connect(): read a tick later.
    this.track(Promise.resolve().then(() => this.readCard(reader, generation)));
  }

  /** Lists the card on `reader` if it holds the FIDO applet; other cards (bank cards, transit passes) are skipped quietly. */
  private async readCard(reader: string, generation: number): Promise<void> {
    const service = this.pcsc;
    const current = (): boolean => this.cardGeneration.get(reader) === generation && this.pcsc === service;
    if (!service || !current()) return;
    const info: DeviceInfo = { id: nfcDeviceId(reader), transport: 'nfc', name: nfcDeviceName(reader, undefined, false), reader };
    let latchkeyCard = false;
    // The connection until the applet is selected, then the device over it: whichever is open gets closed.
    let open: { close(): Promise<void> } | undefined;
    try {
      const conn = await service.connect(reader);
      open = conn;
      latchkeyCard = await conn.atr().then(isVirtualCardAtr, () => false);
      info.name = nfcDeviceName(reader, undefined, latchkeyCard);
      const device = await CtapNfcDevice.open(conn, this.opts.nfc);
      open = device;
      const { facts } = await readAuthenticator(device, { timeoutMs: this.readTimeoutMs, logger: this.logger });
      applyFacts(info, facts);
      info.name = nfcDeviceName(reader, facts.model, latchkeyCard);
    } catch (error) {
      if (error instanceof TransportError && error.code === 'no-applet') {
        this.logger.debug(`The card on "${reader}" has no FIDO applet; it is not listed.`);
        return;
      }
      if (!current()) return;
      info.problem = toClientError(error).message;
      this.logger.debug(`Reading the key on "${reader}" failed: ${message(error)}`);
    } finally {
      await open?.close().catch(() => undefined);
    }
    // The card left (or another came) while it was being read.
    if (!current()) return;
    this.entries.set(info.id, { info, source: { kind: 'nfc', reader, latchkeyCard } });
    this.emit('added', snapshot(info));
  }

  // ---- shared ----

  private async connect(source: Source): Promise<CtapDevice> {
    switch (source.kind) {
      case 'usb': {
        if (!this.hidBackend) throw new ClientError('no-device', 'USB is not available.');
        const conn = await NodeHidConnection.open(this.hidBackend, source.path);
        return CtapHidDevice.open(conn).catch(async (error: unknown) => {
          await conn.close();
          throw error;
        });
      }
      case 'nfc': {
        if (!this.pcsc) throw new ClientError('no-device', 'NFC is not available.');
        const conn = await this.pcsc.connect(source.reader);
        return CtapNfcDevice.open(conn, this.opts.nfc).catch(async (error: unknown) => {
          await conn.close();
          throw error;
        });
      }
      case 'virtual':
        return CtapHidDevice.open(source.key.hidConnection(), { transport: 'virtual' });
    }
  }

  /** Reads getInfo of a listed key in the background and reports what it learnt as `changed`. */
  private readEntry(entry: Entry): void {
    const run = (async () => {
      let device: CtapDevice | undefined;
      try {
        device = await this.connect(entry.source);
        const { facts } = await readAuthenticator(device, { timeoutMs: this.readTimeoutMs, logger: this.logger });
        this.learn(entry, facts);
      } catch (error) {
        if (this.entries.get(entry.info.id) !== entry) return;
        this.logger.debug(`Reading ${entry.info.id} failed: ${message(error)}`);
        const problem = toClientError(error).message;
        if (entry.info.problem !== problem) {
          entry.info = { ...entry.info, problem };
          this.emit('changed', snapshot(entry.info));
        }
      } finally {
        await device?.close().catch(() => undefined);
      }
    })();
    entry.reading = run;
    this.track(run);
  }

  /** Records what a key said about itself; emits `changed` when that is news. */
  private learn(entry: Entry, facts: AuthenticatorFacts): void {
    const next: DeviceInfo = { ...entry.info };
    delete next.problem;
    delete next.aaguid;
    delete next.model;
    applyFacts(next, facts);
    if (entry.source.kind === 'usb' && next.usb) next.name = usbDeviceName(next.usb, facts.model);
    if (entry.source.kind === 'nfc') next.name = nfcDeviceName(entry.source.reader, facts.model, entry.source.latchkeyCard);
    if (JSON.stringify(next) === JSON.stringify(entry.info)) return;
    entry.info = next;
    if (this.entries.get(next.id) === entry) this.emit('changed', snapshot(next));
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (entry.source.kind === 'usb') this.usbIds.delete(entry.source.path);
    this.emit('removed', snapshot(entry.info));
  }

  private track(run: Promise<void>): void {
    this.pendingReads.add(run);
    void run.finally(() => this.pendingReads.delete(run));
  }

  /** What the transports are before start() (and after stop()): off when left out, else not started yet. */
  private resetStatuses(): void {
    const initial = (transport: TransportStatus['transport'], off: boolean): TransportStatus =>
      off ? { transport, state: 'off' } : { transport, state: 'unavailable', reason: 'not started' };
    this.statuses.set('usb', initial('usb', this.opts.hid === false));
    this.statuses.set('nfc', initial('nfc', this.opts.pcsc === false));
  }

  private setStatus(transport: TransportStatus['transport'], state: TransportStatus['state'], reason?: string): void {
    const status: TransportStatus = reason === undefined ? { transport, state } : { transport, state, reason };
    const old = this.statuses.get(transport);
    if (old?.state === status.state && old.reason === status.reason) return;
    this.statuses.set(transport, status);
    this.emit('transport', { ...status });
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
    return new ClientError('no-device', `No security key with id "${id}"; connected: ${present.map((p) => `"${p}"`).join(', ')}.`);
  }
}

function applyFacts(info: DeviceInfo, facts: AuthenticatorFacts): void {
  if (facts.aaguid !== undefined) info.aaguid = facts.aaguid;
  if (facts.model !== undefined) info.model = facts.model;
  info.versions = [...facts.versions];
}

/** A copy the receiver may keep or change without touching the manager's record. */
function snapshot(info: DeviceInfo): DeviceInfo {
  return structuredClone(info);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
