// Smart card readers and the cards on them, as events from PC/SC status changes, plus shared connections to the cards.

import { EventEmitter } from 'node:events';
import { PcscCardConnection } from './PcscCardConnection.js';
import type { PcscBinding, PcscCardHandle, PcscReaderHandle, PcscWatch } from './pcscBinding.js';
import { PcscError } from './PcscError.js';
import { toPcscError } from './pcscErrors.js';
import { loadPcscMini } from './pcscMiniBinding.js';
import { hasUsableCard } from './readerState.js';

export interface PcscReaderInfo {
  name: string;
  /** A card (or NFC key in the field) is present and answered the reset. */
  cardPresent: boolean;
}

export interface PcscServiceEvents {
  'reader-added': [reader: string];
  'reader-removed': [reader: string];
  'card-inserted': [reader: string];
  'card-removed': [reader: string];
  /** The watch ended on its own, e.g. pcscd stopped; every reader has been reported removed. start() again to resume. */
  stopped: [error: PcscError];
}

export interface PcscServiceOptions {
  /** The PC/SC library, or how to load it. @default pcsc-mini, loaded by start() */
  binding?: PcscBinding | (() => Promise<PcscBinding>);
}

interface ReaderEntry {
  readonly handle: PcscReaderHandle;
  cardPresent: boolean;
  /** Open connections to the card on this reader, closed when it leaves (pcsc-mini allows only a few handles). */
  readonly connections: Set<PcscCardConnection>;
}

/**
 * How long the library's watch thread must have been quiet before it is stopped. pcsc-mini 0.1.3 stops it by cancelling
 * its status wait once (SCardCancel) and then releasing the PC/SC context: when that lands while the thread is between
 * two waits (just after a reader or card change, or just after starting), the cancel is lost and the release either
 * blocks the calling (main) thread until the next change or frees the context under the thread's feet. Both were seen
 * under load: a frozen event loop, and glibc aborting on a corrupted heap.
 */
const WATCH_SETTLE_MS = 100;

/**
 * Watches PC/SC readers through the library's status-change wait (SCardGetStatusChange on a background thread: no
 * polling here). pcsc-mini follows at most 4 readers.
 */
export class PcscService extends EventEmitter<PcscServiceEvents> {
  private readonly loadBinding: () => Promise<PcscBinding>;
  private watch: PcscWatch | undefined;
  private readonly entries = new Map<string, ReaderEntry>();
  /** Bumped by every start and stop, so events of an old watch (pcsc-mini reports every reader gone on stop) are ignored. */
  private generation = 0;
  /** When the watch thread last did something we saw (started, reported a reader or a change); see WATCH_SETTLE_MS. */
  private lastWatchActivity = 0;

  constructor(opts: PcscServiceOptions = {}) {
    super();
    const binding = opts.binding;
    this.loadBinding = typeof binding === 'function' ? binding : binding ? async () => binding : loadPcscMini;
  }

  get running(): boolean {
    return this.watch !== undefined;
  }

  /** Starts watching. Rejects with PcscError('service-unavailable') when pcscd (or the Windows Smart Card service) is not running. */
  async start(): Promise<void> {
    if (this.watch) return;
    const binding = await this.loadBinding();
    if (this.watch) return;
    const generation = ++this.generation;
    this.lastWatchActivity = Date.now();
    try {
      this.watch = binding.watch({
        onReader: (handle) => {
          this.lastWatchActivity = Date.now();
          if (generation === this.generation) this.addReader(handle, generation);
        },
        onError: (error) => {
          if (generation === this.generation) this.fail(toPcscError(error, 'Watching smart card readers stopped'));
        },
      });
    } catch (error) {
      this.generation++;
      this.entries.clear();
      throw toPcscError(error, 'Cannot watch smart card readers');
    }
  }

  /**
   * Stops watching, without reader or card events, and closes every open card connection: all of that at once. The
   * library's watch itself is stopped once its thread has settled (see WATCH_SETTLE_MS); the promise resolves then.
   */
  async stop(): Promise<void> {
    const watch = this.watch;
    this.watch = undefined;
    this.generation++;
    for (const entry of this.entries.values()) for (const connection of [...entry.connections]) void connection.close();
    this.entries.clear();
    if (!watch) return;
    for (
      let quiet = Date.now() - this.lastWatchActivity;
      quiet < WATCH_SETTLE_MS;
      quiet = Date.now() - this.lastWatchActivity
    ) {
      await new Promise((resolve) => setTimeout(resolve, WATCH_SETTLE_MS - quiet));
    }
    try {
      watch.stop();
    } catch {
      // pcscd went away meanwhile (its cancel fails): the watch thread has ended with it, nothing is left to stop.
    }
  }

  readers(): PcscReaderInfo[] {
    return [...this.entries.entries()].map(([name, entry]) => ({ name, cardPresent: entry.cardPresent }));
  }

  /**
   * Connects (shared) to the card on `readerName`, or on the first reader holding one. Rejects with PcscError:
   * 'no-reader' when there is no such reader (or none at all), 'no-card' when it holds no card.
   */
  async connect(readerName?: string): Promise<PcscCardConnection> {
    if (!this.watch)
      throw new PcscError('service-unavailable', 'The PC/SC service is not started: call start() first.');
    const entry = readerName === undefined ? this.firstWithCard() : this.entries.get(readerName);
    const known = [...this.entries.keys()];
    if (readerName !== undefined && !entry) {
      throw new PcscError(
        'no-reader',
        known.length === 0
          ? `No smart card reader named "${readerName}": no reader is connected.`
          : `No smart card reader named "${readerName}"; connected: ${known.map((n) => `"${n}"`).join(', ')}.`,
      );
    }
    if (!entry) {
      if (known.length === 0) throw new PcscError('no-reader', 'No smart card reader is connected.');
      throw new PcscError('no-card', `No card or NFC key on ${known.map((n) => `"${n}"`).join(', ')}.`);
    }
    const name = entry.handle.name;
    if (!entry.cardPresent) throw new PcscError('no-card', `No card or NFC key on "${name}".`);
    let card: PcscCardHandle;
    try {
      card = await entry.handle.connect();
    } catch (error) {
      throw toPcscError(error, `Cannot connect to the card on "${name}"`);
    }
    const connection = new PcscCardConnection(card, name, (closed) => entry.connections.delete(closed));
    entry.connections.add(connection);
    // The card may have left while we were connecting.
    if (!entry.cardPresent || this.entries.get(name) !== entry) void connection.cardLeft();
    return connection;
  }

  private firstWithCard(): ReaderEntry | undefined {
    for (const entry of this.entries.values()) if (entry.cardPresent) return entry;
    return undefined;
  }

  private addReader(handle: PcscReaderHandle, generation: number): void {
    const name = handle.name;
    const entry: ReaderEntry = { handle, cardPresent: false, connections: new Set() };
    this.entries.set(name, entry);
    handle.onChange((state) => {
      this.lastWatchActivity = Date.now();
      if (generation !== this.generation || this.entries.get(name) !== entry) return;
      const present = hasUsableCard(state);
      if (present === entry.cardPresent) return;
      entry.cardPresent = present;
      if (!present) closeAll(entry);
      this.emit(present ? 'card-inserted' : 'card-removed', name);
    });
    handle.onRemoved(() => {
      this.lastWatchActivity = Date.now();
      if (generation !== this.generation || this.entries.get(name) !== entry) return;
      this.removeReader(name, entry);
    });
    this.emit('reader-added', name);
  }

  private removeReader(name: string, entry: ReaderEntry): void {
    this.entries.delete(name);
    closeAll(entry);
    if (entry.cardPresent) this.emit('card-removed', name);
    this.emit('reader-removed', name);
  }

  private fail(error: PcscError): void {
    const watch = this.watch;
    this.watch = undefined;
    this.generation++;
    for (const [name, entry] of [...this.entries]) this.removeReader(name, entry);
    try {
      watch?.stop();
    } catch {
      // The watch already failed; a second failure while stopping it says nothing new.
    }
    this.emit('stopped', error);
  }
}

/** A connection to a card that has gone only fails; closing it frees its PC/SC handle and fails its APDUs as 'closed'. */
function closeAll(entry: ReaderEntry): void {
  for (const connection of [...entry.connections]) void connection.cardLeft();
}
