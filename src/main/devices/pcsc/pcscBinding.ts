// The slice of a PC/SC library the service uses, so tests can stand in for pcsc-mini without pcscd or the native addon.

export interface PcscWatchHandlers {
  /** Once per reader: each reader present when watching starts, and each one plugged in later. */
  onReader(reader: PcscReaderHandle): void;
  /** The watch failed in the background (e.g. pcscd stopped); `error` is the library's own error. */
  onError(error: unknown): void;
}

export interface PcscWatch {
  stop(): void;
}

export interface PcscReaderHandle {
  readonly name: string;
  /** Reader state changes (ReaderState flags) from PC/SC's own status-change wait: no polling on our side. */
  onChange(listener: (state: number) => void): void;
  /** The reader was unplugged; no further events come from it. */
  onRemoved(listener: () => void): void;
  /** Connects to the card in shared mode, so other applications keep access. */
  connect(): Promise<PcscCardHandle>;
}

export interface PcscCardHandle {
  /** Sends one APDU; the answer is written into `output` (big enough for an extended answer). */
  transmit(apdu: Uint8Array, output: ArrayBuffer): Promise<Uint8Array>;
  /** The card's ATR. */
  atr(): Promise<Uint8Array>;
  /** Leaves the card powered and untouched for other applications. */
  disconnect(): Promise<void>;
}

export interface PcscBinding {
  /** Starts watching readers; throws when the PC/SC service cannot be reached. */
  watch(handlers: PcscWatchHandlers): PcscWatch;
}
