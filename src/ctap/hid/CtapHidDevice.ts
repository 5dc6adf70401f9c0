// CTAPHID client: a CtapDevice over one HID connection (CTAP 2.2 section 11.2).

import { randomBytes } from 'node:crypto';
import { equalBytes, toHex } from '../bytes.js';
import { ClientError, TransportError } from '../errors.js';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  type CallOptions,
  type CtapDevice,
  type CtapDeviceCapabilities,
  type CtapTransport,
  type HidConnection,
} from '../transport.js';
import {
  BROADCAST_CID,
  CTAPHID_ERROR_NAMES,
  CtapHidCapability,
  CtapHidCmd,
  CtapHidError,
  HID_REPORT_SIZE,
  INIT_NONCE_SIZE,
  MAX_MESSAGE_SIZE,
} from './constants.js';
import { MessageAssembler, continuationCount, encodeFrame, isInitFrame, readCid } from './frame.js';
import { abortableDelay } from '../delay.js';
import { SerialQueue } from '../serialQueue.js';

export interface CtapHidDeviceOptions {
  /** What `transport` reports; the virtual authenticator's pipe says 'virtual'. @default 'usb' */
  transport?: CtapTransport;
  /** How long to wait for the INIT answer. @default 3000 */
  initTimeoutMs?: number;
  /** How long to wait before resending a request the key answered with CHANNEL_BUSY (spec: about 100 ms). @default 100 */
  busyRetryDelayMs?: number;
  /** Source of the 8-byte INIT nonce (tests inject a fixed one to replay recorded answers). @default crypto.randomBytes */
  nonce?: () => Uint8Array;
}

/** Longest single wait on the connection, so an abort or deadline is noticed without relying on the key. */
const READ_SLICE_MS = 200;
/** After CANCEL, how long the key gets to answer before we stop listening. */
const CANCEL_GRACE_MS = 1_000;
/** What `call` uses when given no options: one shared object rather than a new one per request. */
const NO_OPTIONS: CallOptions = Object.freeze({});

export interface CtapHidDeviceVersion {
  major: number;
  minor: number;
  build: number;
}

export class CtapHidDevice implements CtapDevice {
  readonly transport: CtapTransport;
  readonly maxPayloadSize = MAX_MESSAGE_SIZE;
  /** From the INIT answer's flags; NMSG set means the key does not implement CTAPHID_MSG, i.e. speaks no U2F. */
  readonly capabilities: CtapDeviceCapabilities;
  private readonly queue = new SerialQueue();
  private closed = false;

  private constructor(
    private readonly conn: HidConnection,
    /** The channel the key allocated to us in INIT. */
    readonly channelId: number,
    readonly ctaphidVersion: number,
    readonly deviceVersion: CtapHidDeviceVersion,
    /** The capability flags byte of the INIT answer (CtapHidCapability bits). */
    readonly capabilityFlags: number,
    private readonly busyRetryDelayMs: number,
    transport: CtapTransport,
  ) {
    this.transport = transport;
    this.capabilities = {
      cbor: (capabilityFlags & CtapHidCapability.CBOR) !== 0,
      msg: (capabilityFlags & CtapHidCapability.NMSG) === 0,
      wink: (capabilityFlags & CtapHidCapability.WINK) !== 0,
      lock: true,
    };
  }

  /** Allocates a channel with CTAPHID_INIT on the broadcast channel and checks the nonce comes back. */
  static async open(conn: HidConnection, opts: CtapHidDeviceOptions = {}): Promise<CtapHidDevice> {
    const nonce = opts.nonce?.() ?? randomBytes(INIT_NONCE_SIZE);
    if (nonce.length !== INIT_NONCE_SIZE)
      throw new TypeError(`INIT nonce must be ${INIT_NONCE_SIZE} bytes, got ${nonce.length}`);
    const timeoutMs = opts.initTimeoutMs ?? 3_000;
    await conn.write(encodeFrame(BROADCAST_CID, CtapHidCmd.INIT, nonce, 0));

    const wait = { deadline: Date.now() + timeoutMs };
    let sawOtherNonce = false;
    while (true) {
      const frame = await readUntil(conn, wait);
      if (frame === undefined) {
        throw sawOtherNonce
          ? new TransportError('nonce', `INIT answers arrived, but none echoed our nonce ${toHex(nonce)}`)
          : new TransportError('timeout', `no INIT answer within ${timeoutMs} ms`);
      }
      if (readCid(frame) !== BROADCAST_CID || !isInitFrame(frame)) continue;
      const assembler = new MessageAssembler(frame);
      if (assembler.cmd === CtapHidCmd.ERROR) {
        const code = frame[7] ?? 0;
        throw new TransportError('hid-error', `INIT failed: ${hidErrorName(code)}`, { detail: code });
      }
      if (assembler.cmd !== CtapHidCmd.INIT) continue;
      if (assembler.length < 17 || !assembler.complete) {
        throw new TransportError('framing', `INIT answer of ${assembler.length} bytes, expected at least 17`);
      }
      const payload = assembler.payload;
      if (!equalBytes(payload.subarray(0, INIT_NONCE_SIZE), nonce)) {
        // Another application's INIT answer: the nonce tells them apart (section 11.2.9.1.3).
        sawOtherNonce = true;
        continue;
      }
      const cid = readCid(payload.subarray(8, 12));
      if (cid === 0 || cid === BROADCAST_CID) {
        throw new TransportError(
          'channel',
          `the key allocated the reserved channel 0x${cid.toString(16).padStart(8, '0')}`,
        );
      }
      return new CtapHidDevice(
        conn,
        cid,
        payload[12]!,
        { major: payload[13]!, minor: payload[14]!, build: payload[15]! },
        payload[16]!,
        opts.busyRetryDelayMs ?? 100,
        opts.transport ?? 'usb',
      );
    }
  }

  call(cmd: number, payload: Uint8Array, opts: CallOptions = NO_OPTIONS): Promise<Uint8Array> {
    // One transaction at a time per channel: the key would answer our own second request with CHANNEL_BUSY.
    return this.queue.run(() => this.transact(cmd, payload, opts));
  }

  /** Sends data and checks the key echoes it unchanged. */
  async ping(data: Uint8Array, opts?: CallOptions): Promise<void> {
    const echo = await this.call(CtapHidCmd.PING, data, opts);
    if (!equalBytes(echo, data))
      throw new TransportError(
        'framing',
        `PING echo of ${echo.length} bytes differs from the ${data.length} bytes sent`,
      );
  }

  /** Makes the key blink or beep, so the user can tell which key is which. */
  async wink(opts?: CallOptions): Promise<void> {
    if (!this.capabilities.wink) throw new ClientError('device-not-supported', 'This key cannot wink.');
    await this.call(CtapHidCmd.WINK, new Uint8Array(0), opts);
  }

  /** Locks the key to this channel for `seconds` (0 releases, at most 10). */
  async lock(seconds: number, opts?: CallOptions): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 10) {
      throw new RangeError(`CTAPHID lock time must be an integer from 0 to 10 seconds, got ${seconds}`);
    }
    await this.call(CtapHidCmd.LOCK, Uint8Array.of(seconds), opts);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.close();
  }

  private async transact(cmd: number, payload: Uint8Array, opts: CallOptions): Promise<Uint8Array> {
    if (this.closed) throw new TransportError('closed', 'the HID connection is closed');
    if (payload.length > MAX_MESSAGE_SIZE) {
      throw new TransportError(
        'too-large',
        `request of ${payload.length} bytes exceeds the CTAPHID maximum of ${MAX_MESSAGE_SIZE}`,
      );
    }
    const { signal, onKeepalive } = opts;
    if (signal?.aborted) throw new TransportError('cancelled', 'cancelled before the request was sent');
    const timeoutMs = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    // One object holds what an abort changes, so the hot path makes no closures unless there is a signal to listen to.
    const wait: Wait = { deadline: Date.now() + timeoutMs, cancelled: false };
    let onAbort: (() => void) | undefined;
    if (signal) {
      onAbort = (): void => this.cancel(wait);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    try {
      sending: while (true) {
        // Writes and reads are awaited here rather than in helpers: each async helper call costs a promise and a frame per report.
        const count = 1 + continuationCount(payload.length);
        for (let i = 0; i < count; i++) await this.conn.write(encodeFrame(this.channelId, cmd, payload, i));
        let lastStatus = -1;
        let assembler: MessageAssembler | undefined;
        while (true) {
          const remaining = wait.deadline - Date.now();
          if (remaining <= 0) {
            throw wait.cancelled
              ? cancelledError()
              : new TransportError('timeout', `no answer from the key within ${timeoutMs} ms`);
          }
          let frame: Uint8Array | undefined;
          try {
            // Short slices, so a deadline moved by a cancel takes effect promptly; a timed-out slice consumes nothing.
            frame = await this.conn.read(Math.min(remaining, READ_SLICE_MS));
          } catch (error) {
            if (error instanceof TransportError && error.code === 'timeout') continue;
            throw error;
          }
          // HidConnection's timeout contract: undefined, like TransportError('timeout') above, is a slice with no report.
          if (frame === undefined) continue;
          checkReportSize(frame);
          if (frame.length < 5)
            throw new TransportError('framing', `HID report of ${frame.length} bytes is shorter than a frame header`);
          // Frames for other channels belong to other applications using the same key.
          if (readCid(frame) !== this.channelId) continue;

          if (assembler) {
            if (isInitFrame(frame)) {
              throw new TransportError(
                'sequence',
                `initialization frame (command 0x${(frame[4]! & 0x7f).toString(16)}) arrived in the middle of a ${assembler.length}-byte answer`,
              );
            }
            assembler.add(frame);
          } else {
            if (!isInitFrame(frame)) {
              throw new TransportError(
                'sequence',
                `continuation frame with sequence ${frame[4]} arrived before an initialization frame`,
              );
            }
            const kind = frame[4]! & 0x7f;
            if (kind === CtapHidCmd.KEEPALIVE) {
              if (!wait.cancelled) wait.deadline = Date.now() + timeoutMs;
              const status = frame[7] ?? 0;
              if (status !== lastStatus) {
                lastStatus = status;
                onKeepalive?.(status);
              }
              continue;
            }
            if (kind === CtapHidCmd.ERROR) {
              const code = frame[7] ?? 0;
              if (code === CtapHidError.CHANNEL_BUSY && !wait.cancelled) {
                // Another application holds the key; spec section 11.2.9.2.6 says retry after a short delay.
                if (Date.now() + this.busyRetryDelayMs >= wait.deadline) {
                  throw new TransportError('busy', `the key stayed busy for ${timeoutMs} ms`, { detail: code });
                }
                await abortableDelay(this.busyRetryDelayMs, signal);
                if (wait.cancelled) throw cancelledError();
                continue sending;
              }
              if (wait.cancelled) throw cancelledError();
              throw new TransportError('hid-error', `the key answered ${hidErrorName(code)}`, { detail: code });
            }
            if (kind !== cmd) {
              throw new TransportError(
                'framing',
                `answer has command 0x${kind.toString(16)}, expected 0x${cmd.toString(16)}`,
              );
            }
            assembler = new MessageAssembler(frame);
          }
          if (assembler.complete) {
            if (wait.cancelled) throw cancelledError();
            return assembler.payload;
          }
        }
      }
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  private cancel(wait: Wait): void {
    wait.cancelled = true;
    wait.deadline = Math.min(wait.deadline, Date.now() + CANCEL_GRACE_MS);
    // CANCEL has no answer of its own; the pending request ends with CTAP2_ERR_KEEPALIVE_CANCEL.
    this.conn.write(encodeFrame(this.channelId, CtapHidCmd.CANCEL, new Uint8Array(0), 0)).catch(() => undefined);
  }
}

/** The deadline of a wait for reports; a cancel moves it closer. */
interface Wait {
  deadline: number;
  cancelled: boolean;
}

function cancelledError(): TransportError {
  return new TransportError('cancelled', 'the request was cancelled');
}

function checkReportSize(frame: Uint8Array): void {
  if (frame.length > HID_REPORT_SIZE) {
    throw new TransportError('framing', `HID report of ${frame.length} bytes is longer than ${HID_REPORT_SIZE}`);
  }
}

/**
 * Reads the next report, or undefined once the deadline has passed. Reads go in short slices so a moved deadline
 * (cancel) takes effect promptly; a timed-out slice consumes nothing.
 */
async function readUntil(conn: HidConnection, wait: { readonly deadline: number }): Promise<Uint8Array | undefined> {
  while (true) {
    const remaining = wait.deadline - Date.now();
    if (remaining <= 0) return undefined;
    try {
      const frame = await conn.read(Math.min(remaining, READ_SLICE_MS));
      // HidConnection's timeout contract: undefined, or TransportError('timeout') below, is a slice with no report.
      if (frame === undefined) continue;
      checkReportSize(frame);
      return frame;
    } catch (error) {
      if (error instanceof TransportError && error.code === 'timeout') continue;
      throw error;
    }
  }
}

function hidErrorName(code: number): string {
  return CTAPHID_ERROR_NAMES.get(code) ?? `CTAPHID error 0x${code.toString(16).padStart(2, '0')}`;
}
