// The CTAPHID device side of the virtual key (CTAP 2.2 section 11.2): channels, framing, busy, cancel, keepalive, lock.

import { randomInt } from 'node:crypto';
import { CtapStatus } from '../../ctapStatus.js';
import { TransportError } from '../../errors.js';
import {
  BROADCAST_CID,
  CtapHidCapability,
  CtapHidCmd,
  CtapHidError,
  INIT_NONCE_SIZE,
  MAX_MESSAGE_SIZE,
} from '../../hid/constants.js';
import { MessageAssembler, encodeFrames, isInitFrame, readCid, writeCid } from '../../hid/frame.js';
import type { HidConnection } from '../../transport.js';
import type { ProcessCtap2Options } from '../ctap2/processCtap2.js';
import { speaksCtap2, speaksU2f, type VirtualProfile } from '../profiles.js';
import { MemoryHidConnection } from './MemoryHidConnection.js';
import { copyBytes } from '../../bytes.js';

/** Section 11.2.9.1.3: the CTAPHID protocol version in the INIT answer. */
const CTAPHID_PROTOCOL_VERSION = 2;
/** Section 11.2.9.1.4: LOCK holds for at most 10 seconds. */
const MAX_LOCK_SECONDS = 10;
/**
 * How long the device waits for the next continuation frame before answering ERR_MSG_TIMEOUT. The spec leaves the
 * value to the device (section 11.2.4); 500 ms is in the range real keys use.
 */
export const MESSAGE_TIMEOUT_MS = 500;

export interface VirtualHidDeviceOptions {
  profile: VirtualProfile;
  processCtap2(request: Uint8Array, opts: ProcessCtap2Options): Promise<Uint8Array>;
  /** One U2F request APDU in, response data + status word out. */
  processU2f(request: Uint8Array): Promise<Uint8Array>;
}

interface Assembly {
  cid: number;
  assembler: MessageAssembler;
  timer: ReturnType<typeof setTimeout>;
}

interface Transaction {
  cid: number;
  controller: AbortController;
}

/**
 * One virtual USB key. Every input report goes to every open connection, as hidraw and the Windows HID stack hand
 * each reader a copy: applications tell their answers apart by channel ID and INIT nonce, as they must on hardware.
 */
export class VirtualHidDevice {
  private readonly connections = new Set<MemoryHidConnection>();
  private readonly channels = new Set<number>();
  private assembly: Assembly | undefined;
  private busy: Transaction | undefined;
  private lock: { cid: number; until: number } | undefined;

  constructor(private readonly opts: VirtualHidDeviceOptions) {}

  connect(): HidConnection {
    const conn = new MemoryHidConnection(
      (report) => this.receive(report),
      (closed) => this.connections.delete(closed),
    );
    this.connections.add(conn);
    return conn;
  }

  /** Power cycle: a lock does not survive it. Allocated channels do, so open connections keep working. */
  reboot(): void {
    this.lock = undefined;
  }

  private get capabilities(): number {
    const { profile } = this.opts;
    return (
      (profile.wink ? CtapHidCapability.WINK : 0) |
      (speaksCtap2(profile) ? CtapHidCapability.CBOR : 0) |
      (speaksU2f(profile) ? 0 : CtapHidCapability.NMSG)
    );
  }

  private receive(report: Uint8Array): void {
    try {
      this.handleReport(report);
    } catch {
      // Nothing may escape into the writer; a failure of the device itself is ERR_OTHER on that channel.
      this.sendError(readCid(report), CtapHidError.OTHER);
    }
  }

  private handleReport(report: Uint8Array): void {
    const cid = readCid(report);
    if (!isInitFrame(report)) {
      this.handleContinuation(cid, report);
      return;
    }
    const cmd = report[4]! & 0x7f;
    const length = (report[5]! << 8) | report[6]!;
    if (cid === 0) return this.sendError(cid, CtapHidError.INVALID_CHANNEL);
    // Section 11.2.9.1.5: CANCEL has no answer, and one for a channel with nothing pending is ignored.
    if (cmd === CtapHidCmd.CANCEL) {
      if (this.busy?.cid === cid) this.busy.controller.abort();
      return;
    }
    if (this.lockedAgainst(cid)) return this.sendError(cid, CtapHidError.CHANNEL_BUSY);

    const assembly = this.assembly;
    if (assembly?.cid === cid) {
      // A new initialization frame in the middle of a message: INIT resynchronises, anything else is out of sequence.
      this.dropAssembly();
      if (cmd !== CtapHidCmd.INIT) return this.sendError(cid, CtapHidError.INVALID_SEQ);
    } else if (assembly && cmd !== CtapHidCmd.INIT) {
      return this.sendError(cid, CtapHidError.CHANNEL_BUSY);
    }
    if (cid === BROADCAST_CID ? cmd !== CtapHidCmd.INIT : !this.channels.has(cid)) {
      return this.sendError(cid, CtapHidError.INVALID_CHANNEL);
    }
    if (length > MAX_MESSAGE_SIZE) return this.sendError(cid, CtapHidError.INVALID_LEN);
    if (cmd === CtapHidCmd.INIT) {
      // INIT is a single frame that any application may send at any time, even while another is busy.
      if (length !== INIT_NONCE_SIZE) return this.sendError(cid, CtapHidError.INVALID_LEN);
      return this.init(cid, report.subarray(7, 7 + INIT_NONCE_SIZE));
    }
    if (this.busy) return this.sendError(cid, CtapHidError.CHANNEL_BUSY);

    const assembler = new MessageAssembler(report);
    if (assembler.complete) {
      this.dispatch(cid, cmd, assembler.payload);
    } else {
      this.assembly = { cid, assembler, timer: this.messageTimer(cid) };
    }
  }

  private handleContinuation(cid: number, report: Uint8Array): void {
    const assembly = this.assembly;
    // Section 11.2.4: a continuation frame nobody is waiting for is ignored.
    if (!assembly) return;
    if (assembly.cid !== cid) return this.sendError(cid, CtapHidError.CHANNEL_BUSY);
    try {
      assembly.assembler.add(report);
    } catch (error) {
      this.dropAssembly();
      if (error instanceof TransportError && error.code === 'sequence')
        return this.sendError(cid, CtapHidError.INVALID_SEQ);
      throw error;
    }
    if (assembly.assembler.complete) {
      this.dropAssembly();
      this.dispatch(cid, assembly.assembler.cmd, assembly.assembler.payload);
    } else {
      clearTimeout(assembly.timer);
      assembly.timer = this.messageTimer(cid);
    }
  }

  private messageTimer(cid: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      if (this.assembly?.cid !== cid) return;
      this.assembly = undefined;
      this.sendError(cid, CtapHidError.MSG_TIMEOUT);
    }, MESSAGE_TIMEOUT_MS);
    timer.unref?.();
    return timer;
  }

  private dropAssembly(): void {
    if (this.assembly) clearTimeout(this.assembly.timer);
    this.assembly = undefined;
  }

  private lockedAgainst(cid: number): boolean {
    if (!this.lock) return false;
    if (Date.now() >= this.lock.until) {
      this.lock = undefined;
      return false;
    }
    return this.lock.cid !== cid;
  }

  private dispatch(cid: number, cmd: number, payload: Uint8Array): void {
    const { profile } = this.opts;
    switch (cmd) {
      case CtapHidCmd.PING:
        return this.send(cid, CtapHidCmd.PING, payload);
      case CtapHidCmd.WINK:
        if (!profile.wink) return this.sendError(cid, CtapHidError.INVALID_CMD);
        return this.send(cid, CtapHidCmd.WINK, new Uint8Array(0));
      case CtapHidCmd.LOCK:
        return this.lockChannel(cid, payload);
      case CtapHidCmd.CBOR:
        if (!speaksCtap2(profile)) return this.sendError(cid, CtapHidError.INVALID_CMD);
        return this.cbor(cid, payload);
      case CtapHidCmd.MSG:
        if (!speaksU2f(profile)) return this.sendError(cid, CtapHidError.INVALID_CMD);
        return this.msg(cid, payload);
      default:
        // KEEPALIVE and ERROR only flow device to host.
        return this.sendError(cid, CtapHidError.INVALID_CMD);
    }
  }

  /** Section 11.2.9.1.3: allocate a channel (broadcast CID) or resynchronise one (its own CID). */
  private init(cid: number, nonce: Uint8Array): void {
    let channel = cid;
    if (cid === BROADCAST_CID) {
      channel = this.allocateChannel();
    } else if (this.busy?.cid === cid) {
      // Resync abandons the channel's transaction: cancel it and drop its answer.
      this.busy.controller.abort();
      this.busy = undefined;
    }
    const [major, minor, build] = this.opts.profile.deviceVersion;
    const answer = new Uint8Array(17);
    answer.set(nonce, 0);
    writeCid(answer.subarray(8, 12), channel);
    answer[12] = CTAPHID_PROTOCOL_VERSION;
    answer[13] = major;
    answer[14] = minor;
    answer[15] = build;
    answer[16] = this.capabilities;
    this.send(cid, CtapHidCmd.INIT, answer);
  }

  private allocateChannel(): number {
    while (true) {
      // Random channel IDs: no application can guess another's channel.
      const cid = randomInt(1, BROADCAST_CID);
      if (!this.channels.has(cid)) {
        this.channels.add(cid);
        return cid;
      }
    }
  }

  /** Section 11.2.9.1.4. */
  private lockChannel(cid: number, payload: Uint8Array): void {
    if (payload.length !== 1) return this.sendError(cid, CtapHidError.INVALID_LEN);
    const seconds = payload[0]!;
    if (seconds > MAX_LOCK_SECONDS) return this.sendError(cid, CtapHidError.INVALID_PAR);
    this.lock = seconds === 0 ? undefined : { cid, until: Date.now() + seconds * 1000 };
    this.send(cid, CtapHidCmd.LOCK, new Uint8Array(0));
  }

  /** Section 11.2.9.1.2: the channel is busy until the CTAP2 answer goes out, with keepalives meanwhile. */
  private cbor(cid: number, request: Uint8Array): void {
    if (request.length === 0) return this.sendError(cid, CtapHidError.INVALID_LEN);
    const transaction: Transaction = { cid, controller: new AbortController() };
    this.busy = transaction;
    const current = (): boolean => this.busy === transaction;
    this.opts
      .processCtap2(request, {
        signal: transaction.controller.signal,
        onKeepalive: (status) => {
          if (current()) this.send(cid, CtapHidCmd.KEEPALIVE, Uint8Array.of(status));
        },
      })
      .catch(() => Uint8Array.of(CtapStatus.CTAP1_ERR_OTHER))
      .then((answer) => {
        if (!current()) return;
        this.busy = undefined;
        this.send(cid, CtapHidCmd.CBOR, answer);
      });
  }

  /**
   * Section 11.2.9.1.1: a U2F APDU. Real keys answer at once (6985 while they wait for a touch, which the platform
   * polls for), so there are no keepalives; the channel is busy until the answer goes out all the same.
   */
  private msg(cid: number, apdu: Uint8Array): void {
    const transaction: Transaction = { cid, controller: new AbortController() };
    this.busy = transaction;
    this.opts
      .processU2f(apdu)
      .catch(() => Uint8Array.of(0x6f, 0x00))
      .then((answer) => {
        if (this.busy !== transaction) return;
        this.busy = undefined;
        this.send(cid, CtapHidCmd.MSG, answer);
      });
  }

  private send(cid: number, cmd: number, payload: Uint8Array): void {
    for (const frame of encodeFrames(cid, cmd, payload)) {
      for (const conn of this.connections) conn.deliver(copyBytes(frame));
    }
  }

  private sendError(cid: number, code: number): void {
    this.send(cid, CtapHidCmd.ERROR, Uint8Array.of(code));
  }
}
