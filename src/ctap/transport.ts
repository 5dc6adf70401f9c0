// The connection and device contracts every transport implements (DESIGN.md section 2).

/** One open HID interface: 64-byte reports without the report-ID byte. */
export interface HidConnection {
  write(report: Uint8Array): Promise<void>;
  /** Resolves with the next 64-byte report; rejects with TransportError('timeout') when none comes in time. */
  read(timeoutMs: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** One connected smart card: an ISO 7816-4 command APDU in, the response APDU (data then SW1 SW2) out. */
export interface SmartCardConnection {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
  /**
   * The card's answer to reset (for a contactless card, the one the reader builds from its ATS). Optional: without it
   * CtapNfcDevice cannot learn whether the card takes extended APDUs, and sends short ones.
   */
  atr?(): Promise<Uint8Array>;
}

export type CtapTransport = 'usb' | 'nfc' | 'virtual';

export interface CallOptions {
  /** Aborting sends the transport's cancel and rejects with TransportError('cancelled'). */
  signal?: AbortSignal;
  /** Called when the key reports a new keepalive status (1 processing, 2 user presence needed); repeats are not reported. */
  onKeepalive?: (status: number) => void;
  /** How long to wait for the key between signs of life (each keepalive re-arms it). @default 30000 */
  timeoutMs?: number;
}

/** A whole-message channel to one authenticator; nothing above it branches on transport. */
export interface CtapDevice {
  readonly transport: CtapTransport;
  /** Largest request payload the channel carries (CTAPHID: 7609 bytes). */
  readonly maxPayloadSize: number;
  /** Sends one command (CTAPHID command byte; NFC maps CBOR and MSG onto APDUs) and resolves with the response payload. */
  call(cmd: number, payload: Uint8Array, opts?: CallOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
