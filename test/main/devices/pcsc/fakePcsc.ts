// An in-memory PcscBinding: readers and cards a test plugs in and pulls out, with pcsc-mini's event order.

import type {
  PcscBinding,
  PcscCardHandle,
  PcscReaderHandle,
  PcscWatchHandlers,
} from '../../../../src/main/devices/pcsc/pcscBinding.js';
import { ReaderState } from '../../../../src/main/devices/pcsc/readerState.js';

export class FakeCardError extends Error {
  constructor(readonly code: string) {
    super(`[ ${code} ] - fake PC/SC failure`);
  }
}

export class FakeReader implements PcscReaderHandle {
  private changeListeners: ((state: number) => void)[] = [];
  private removedListeners: (() => void)[] = [];
  /** What the card answers; undefined when no card is on the reader. */
  card: ((apdu: Uint8Array) => Uint8Array | Promise<Uint8Array>) | undefined;
  /** Set to make connect() fail with this PC/SC code. */
  connectFailure: string | undefined;
  disconnects = 0;
  /** How many times a connection asked pcscd for the ATR. */
  atrReads = 0;
  /** The ATR the card on this reader presents. @default a contactless ATR without historical bytes */
  atr: Uint8Array = Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01);

  constructor(readonly name: string) {}

  onChange(listener: (state: number) => void): void {
    this.changeListeners.push(listener);
  }

  onRemoved(listener: () => void): void {
    this.removedListeners.push(listener);
  }

  emitState(state: number): void {
    for (const l of this.changeListeners) l(state);
  }

  insert(card: (apdu: Uint8Array) => Uint8Array | Promise<Uint8Array>): void {
    this.card = card;
    this.emitState(ReaderState.PRESENT | ReaderState.CHANGED);
  }

  pull(): void {
    this.card = undefined;
    this.emitState(ReaderState.EMPTY | ReaderState.CHANGED);
  }

  unplug(): void {
    for (const l of this.removedListeners) l();
    this.changeListeners = [];
    this.removedListeners = [];
  }

  async connect(): Promise<PcscCardHandle> {
    if (this.connectFailure) throw new FakeCardError(this.connectFailure);
    if (!this.card) throw new FakeCardError('NoSmartCard');
    return {
      transmit: async (apdu, output) => {
        if (!this.card) throw new FakeCardError('RemovedCard');
        const answer = await this.card(apdu);
        const view = new Uint8Array(output, 0, answer.length);
        view.set(answer);
        return view;
      },
      atr: async () => {
        this.atrReads++;
        return this.atr;
      },
      disconnect: async () => {
        this.disconnects++;
        if (!this.card) throw new FakeCardError('RemovedCard');
      },
    };
  }
}

export class FakePcsc implements PcscBinding {
  /** Set to make watch() throw, as pcsc-mini does when pcscd is not running. */
  startFailure: string | undefined;
  watching = false;
  private handlers: PcscWatchHandlers | undefined;
  private readonly readers: FakeReader[] = [];

  /**
   * Set to hold back the first report of the readers present at start until report() is called, as pcsc-mini's
   * background thread does on a loaded machine (its first status-change wait can take longer than a moment).
   */
  holdFirstReport = false;

  watch(handlers: PcscWatchHandlers) {
    if (this.startFailure) throw new FakeCardError(this.startFailure);
    this.watching = true;
    this.handlers = handlers;
    if (!this.holdFirstReport) this.report();
    return {
      stop: () => {
        this.watching = false;
        // pcsc-mini reports every reader gone when stopped.
        for (const reader of this.readers) reader.unplug();
      },
    };
  }

  /** Reports the readers present (and their cards), as the watch does once it has looked. */
  report(): void {
    for (const reader of this.readers) this.announce(reader);
  }

  plug(name: string): FakeReader {
    const reader = new FakeReader(name);
    this.readers.push(reader);
    if (this.watching) this.announce(reader);
    return reader;
  }

  /** The background watch fails, as when pcscd stops. */
  fail(code: string): void {
    this.handlers?.onError(new FakeCardError(code));
  }

  private announce(reader: FakeReader): void {
    this.handlers?.onReader(reader);
    // pcsc-mini follows each new reader with its current state at once.
    reader.emitState(reader.card ? ReaderState.PRESENT : ReaderState.EMPTY);
  }
}
