// NFC security keys: cards on PC/SC readers (pcsc-mini card events), listed once the FIDO applet has answered.

import {
  ClientError,
  CtapNfcDevice,
  TransportError,
  toClientError,
  type CtapDevice,
  type CtapNfcDeviceOptions,
} from '../../../ctap/index.js';
import type { TransportStatus } from '../DeviceInfo.js';
import type { DeviceDescription } from '../DeviceSource.js';
import { applyFacts, DeviceSourceBase, message, type DeviceSourceBaseOptions } from '../DeviceSourceBase.js';
import { nfcDeviceId } from '../deviceIds.js';
import { nfcDeviceName } from '../deviceNames.js';
import { readAuthenticator } from '../readAuthenticator.js';
import { cardLabel } from './cardIssuer.js';
import { PcscService, type PcscServiceOptions } from './PcscService.js';

export interface PcscSourceOptions extends DeviceSourceBaseOptions {
  /** Options of the PC/SC service that finds the cards. @default pcsc-mini */
  pcsc?: PcscServiceOptions;
  /** How often to try PC/SC again while it is unavailable (pcscd not running, or stopped); 0 never. @default 5000 */
  retryMs?: number;
  /** How NFC keys are driven (extended APDUs, chunk size, polling). @default CtapNfcDevice's defaults */
  nfc?: CtapNfcDeviceOptions;
  /**
   * How long start() waits for PC/SC's first report of the readers present. It ends as soon as the report comes; only a
   * machine without readers (which reports nothing) waits it out. @default 500
   */
  firstReportMs?: number;
}

/** How long PC/SC must stay silent after its first report before that burst of readers and cards counts as complete. */
const PCSC_QUIET_MS = 50;
/** start() never waits longer than this for the burst to end, however long PC/SC keeps reporting. */
const PCSC_SETTLE_MAX_MS = 2_000;

const NOT_STARTED: TransportStatus = { transport: 'nfc', state: 'unavailable', reason: 'not started' };

/**
 * Keys are known by their reader. A card is always read before it is listed: only the FIDO applet's answer tells a
 * security key from a bank card.
 */
export class PcscSource extends DeviceSourceBase {
  readonly transport = 'nfc' as const;
  private readonly retryMs: number;
  private readonly firstReportMs: number;
  /** Bumped on every card event per reader, so a read that finishes after the card left is dropped. */
  private readonly cardGeneration = new Map<string, number>();
  /** The label each listed card's ATR earned it (see cardLabel). */
  private readonly labels = new Map<string, string | undefined>();
  private service: PcscService | undefined;
  private retry: NodeJS.Timeout | undefined;
  private lastEventAt = 0;
  private current: TransportStatus = NOT_STARTED;
  private started = false;

  constructor(private readonly opts: PcscSourceOptions = {}) {
    super(opts);
    this.retryMs = opts.retryMs ?? 5_000;
    this.firstReportMs = opts.firstReportMs ?? 500;
  }

  override status(): TransportStatus {
    return { ...this.current };
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const service = new PcscService(this.opts.pcsc ?? {});
    this.service = service;
    const touched = (): void => {
      this.lastEventAt = Date.now();
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
      this.labels.delete(reader);
      this.unlistDevice(reader);
    });
    service.on('stopped', (error) => {
      this.setStatus('unavailable', error.message);
      this.scheduleRetry();
    });
    await this.tryStart();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    clearTimeout(this.retry);
    this.retry = undefined;
    const service = this.service;
    this.service = undefined;
    service?.removeAllListeners();
    const stopped = service?.stop();
    // Forgotten first, so reads still finishing find nothing to update or announce.
    this.forgetAll();
    this.cardGeneration.clear();
    this.labels.clear();
    this.current = NOT_STARTED;
    await Promise.all([this.settled(), stopped]);
  }

  protected async connect(reader: string): Promise<CtapDevice> {
    if (!this.service) throw new ClientError('no-device', 'NFC is not available.');
    const conn = await this.service.connect(reader);
    return CtapNfcDevice.open(conn, this.opts.nfc).catch(async (error: unknown) => {
      await conn.close();
      throw error;
    });
  }

  protected nameFor(reader: string, _info: DeviceDescription, model: string | undefined): string {
    return nfcDeviceName(reader, model, this.labels.get(reader));
  }

  private async tryStart(): Promise<void> {
    const service = this.service;
    if (!service || !this.started) return;
    // No report yet: the watch may report from inside start() already.
    this.lastEventAt = 0;
    const startedAt = Date.now();
    try {
      await service.start();
    } catch (error) {
      this.setStatus('unavailable', `NFC security keys cannot be used: ${message(error)}`);
      this.scheduleRetry();
      return;
    }
    this.setStatus('available');
    // PC/SC reports the readers and cards present at start as events, from a background thread: wait for its first
    // report (on a loaded machine it can take longer than the quiet period below), then for that burst to end.
    for (;;) {
      const now = Date.now();
      const settled =
        this.lastEventAt === 0
          ? now - startedAt >= this.firstReportMs
          : now - this.lastEventAt >= PCSC_QUIET_MS || now - startedAt >= PCSC_SETTLE_MAX_MS;
      if (settled || !this.started || this.service !== service) return;
      await sleep(10);
    }
  }

  private scheduleRetry(): void {
    if (this.retryMs <= 0 || !this.started || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.tryStart();
    }, this.retryMs);
    // A source waiting for pcscd must not keep the process alive by itself.
    this.retry.unref();
  }

  private cardInserted(reader: string): void {
    const generation = (this.cardGeneration.get(reader) ?? 0) + 1;
    this.cardGeneration.set(reader, generation);
    // The service reports the cards already present from inside start(), before it takes connect(): read a tick later.
    this.track(Promise.resolve().then(() => this.readCard(reader, generation)));
  }

  /** Lists the card on `reader` if it holds the FIDO applet; other cards (bank cards, transit passes) are skipped quietly. */
  private async readCard(reader: string, generation: number): Promise<void> {
    const service = this.service;
    const current = (): boolean => this.cardGeneration.get(reader) === generation && this.service === service;
    if (!service || !current()) return;
    const info: DeviceDescription = { transport: 'nfc', name: nfcDeviceName(reader, undefined), reader };
    let label: string | undefined;
    // The connection until the applet is selected, then the device over it: whichever is open gets closed.
    let open: { close(): Promise<void> } | undefined;
    try {
      const conn = await service.connect(reader);
      open = conn;
      label = await conn.atr().then(cardLabel, () => undefined);
      info.name = nfcDeviceName(reader, undefined, label);
      const device = await CtapNfcDevice.open(conn, this.opts.nfc);
      open = device;
      const { facts } = await readAuthenticator(device, { timeoutMs: this.readTimeoutMs, logger: this.logger });
      applyFacts(info, facts);
      info.name = nfcDeviceName(reader, facts.model, label);
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
    // A card event missed in between (never seen, but cheap to survive): the old listing goes first.
    this.unlistDevice(reader);
    this.labels.set(reader, label);
    this.listDevice({ key: reader, ids: [nfcDeviceId(reader)], info }, { read: false });
  }

  private setStatus(state: TransportStatus['state'], reason?: string): void {
    if (!this.started) return;
    const status: TransportStatus =
      reason === undefined ? { transport: 'nfc', state } : { transport: 'nfc', state, reason };
    if (this.current.state === status.state && this.current.reason === status.reason) return;
    this.current = status;
    this.emit('status', { ...status });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
