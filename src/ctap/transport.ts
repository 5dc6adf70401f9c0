// The connection and device contracts every transport implements (DESIGN.md section 2).

/**
 * One open HID interface: 64-byte reports without the report-ID byte.
 *
 * Timeouts are part of the contract, because CtapHidDevice reads in short slices and keeps waiting after a slice that
 * timed out: `read` signals "no report within timeoutMs" by resolving `undefined` (the plain way for a custom
 * connection) or by rejecting with TransportError('timeout'). Any other rejection ends the request with that error.
 */
export interface HidConnection {
  write(report: Uint8Array): Promise<void>;
  /** Resolves with the next 64-byte report, or `undefined` when none came within `timeoutMs`. */
  read(timeoutMs: number): Promise<Uint8Array | undefined>;
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

/**
 * The commands CtapDevice.call takes: CTAPHID's command bytes (CTAP 2.2 section 11.2.9), which every other transport
 * maps onto its own framing (NFC: CBOR and MSG become APDUs).
 */
export const CtapDeviceCmd = {
  PING: 0x01,
  MSG: 0x03,
  LOCK: 0x04,
  WINK: 0x08,
  CBOR: 0x10,
} as const;

/** CTAP 2.2 section 11.2.9.2.5: the keepalive status a transport passes to CallOptions.onKeepalive. */
export const KeepaliveStatus = {
  PROCESSING: 1,
  UPNEEDED: 2,
} as const;

/** Which CtapDeviceCmd commands the device carries, as the transport learned while opening it. */
export interface CtapDeviceCapabilities {
  /** CTAP2 requests (CtapDeviceCmd.CBOR): CTAPHID INIT's CBOR flag; NFC: a FIDO_2_0 applet, or a getInfo probe answered. */
  readonly cbor: boolean;
  /** U2F APDUs (CtapDeviceCmd.MSG): CTAPHID INIT without NMSG; NFC: an applet answering U2F_V2. */
  readonly msg: boolean;
  /** CtapDeviceCmd.WINK: CTAPHID INIT's WINK flag; never over NFC. */
  readonly wink: boolean;
  /** CtapDeviceCmd.LOCK: every CTAPHID key; never over NFC. */
  readonly lock: boolean;
}

/** What the transport learned from the key while opening it, so that nothing above asks again or branches on transport. */
export interface CtapDeviceOpening {
  /** NFC: what the FIDO applet answered to SELECT ('U2F_V2' or 'FIDO_2_0'). */
  readonly appletVersion?: string;
  /**
   * The answer (status byte + CBOR) to an authenticatorGetInfo the transport already sent while opening (NFC probes a
   * U2F_V2 applet that way); over NFC every round trip counts, so a caller may use it instead of asking again.
   */
  readonly getInfoAnswer?: Uint8Array;
}

/** A whole-message channel to one authenticator; nothing above it branches on transport. */
export interface CtapDevice {
  readonly transport: CtapTransport;
  readonly capabilities: CtapDeviceCapabilities;
  /** What opening the device taught the transport. @default {} */
  readonly opening?: CtapDeviceOpening;
  /** Largest request payload the channel carries (CTAPHID: 7609 bytes). */
  readonly maxPayloadSize: number;
  /** Sends one CtapDeviceCmd (one its capabilities allow) and resolves with the response payload. */
  call(cmd: number, payload: Uint8Array, opts?: CallOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
