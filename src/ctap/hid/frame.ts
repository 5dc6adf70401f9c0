// CTAPHID packet framing shared by the client and the virtual authenticator (CTAP 2.2 section 11.2.4).

import { TransportError } from '../errors.js';
import { CONT_DATA_SIZE, HID_REPORT_SIZE, INIT_DATA_SIZE, MAX_MESSAGE_SIZE } from './constants.js';

/** Splits one message into 64-byte reports: an initialization frame then continuation frames with SEQ 0, 1, ... */
export function encodeFrames(cid: number, cmd: number, payload: Uint8Array): Uint8Array[] {
  const count = 1 + continuationCount(payload.length);
  const frames: Uint8Array[] = new Array(count);
  for (let i = 0; i < count; i++) frames[i] = encodeFrame(cid, cmd, payload, i);
  return frames;
}

/**
 * The report at `index` (0: the initialization frame) of the message, so a sender can write reports one at a time
 * without an array of them. There are `1 + continuationCount(payload.length)` reports.
 */
export function encodeFrame(cid: number, cmd: number, payload: Uint8Array, index: number): Uint8Array {
  if (payload.length > MAX_MESSAGE_SIZE) {
    throw new TransportError(
      'too-large',
      `CTAPHID message of ${payload.length} bytes exceeds the maximum of ${MAX_MESSAGE_SIZE}`,
    );
  }
  const frame = new Uint8Array(HID_REPORT_SIZE);
  writeCid(frame, cid);
  if (index === 0) {
    frame[4] = 0x80 | cmd;
    frame[5] = payload.length >> 8;
    frame[6] = payload.length & 0xff;
    copyInto(frame, 7, payload, 0, Math.min(INIT_DATA_SIZE, payload.length));
  } else {
    const offset = INIT_DATA_SIZE + (index - 1) * CONT_DATA_SIZE;
    frame[4] = index - 1;
    copyInto(frame, 5, payload, offset, Math.min(CONT_DATA_SIZE, payload.length - offset));
  }
  return frame;
}

/** A byte loop: for a frame's few dozen bytes it beats subarray() + set(), which allocates a view each time. */
function copyInto(to: Uint8Array, toAt: number, from: Uint8Array, fromAt: number, count: number): void {
  for (let i = 0; i < count; i++) to[toAt + i] = from[fromAt + i]!;
}

export function writeCid(frame: Uint8Array, cid: number): void {
  frame[0] = cid >>> 24;
  frame[1] = (cid >>> 16) & 0xff;
  frame[2] = (cid >>> 8) & 0xff;
  frame[3] = cid & 0xff;
}

export function readCid(frame: Uint8Array): number {
  return ((frame[0]! << 24) | (frame[1]! << 16) | (frame[2]! << 8) | frame[3]!) >>> 0;
}

export function isInitFrame(frame: Uint8Array): boolean {
  return (frame[4]! & 0x80) !== 0;
}

/** Number of continuation frames a message of `length` bytes needs after its initialization frame. */
export function continuationCount(length: number): number {
  return length <= INIT_DATA_SIZE ? 0 : Math.ceil((length - INIT_DATA_SIZE) / CONT_DATA_SIZE);
}

/**
 * Collects the frames of one message on one channel. Feed it frames already known to be for the channel;
 * it throws TransportError('sequence') on a gap or repeat and ('framing') on a short or oversized frame.
 */
export class MessageAssembler {
  readonly cmd: number;
  readonly length: number;
  private readonly buffer: Uint8Array;
  private filled: number;
  private nextSeq = 0;

  constructor(initFrame: Uint8Array) {
    if (initFrame.length < 7)
      throw new TransportError(
        'framing',
        `initialization frame of ${initFrame.length} bytes is shorter than its 7-byte header`,
      );
    this.cmd = initFrame[4]! & 0x7f;
    this.length = (initFrame[5]! << 8) | initFrame[6]!;
    if (this.length > MAX_MESSAGE_SIZE) {
      throw new TransportError(
        'framing',
        `message length ${this.length} exceeds the CTAPHID maximum of ${MAX_MESSAGE_SIZE}`,
      );
    }
    this.buffer = new Uint8Array(this.length);
    const take = Math.min(this.length, INIT_DATA_SIZE, initFrame.length - 7);
    copyInto(this.buffer, 0, initFrame, 7, take);
    this.filled = take;
    if (take < Math.min(this.length, INIT_DATA_SIZE)) {
      throw new TransportError(
        'framing',
        `initialization frame carries ${take} of the ${Math.min(this.length, INIT_DATA_SIZE)} bytes it should`,
      );
    }
  }

  get complete(): boolean {
    return this.filled >= this.length;
  }

  /** Adds a continuation frame. */
  add(frame: Uint8Array): void {
    const seq = frame[4]!;
    if (seq !== this.nextSeq) {
      throw new TransportError('sequence', `continuation frame has sequence ${seq}, expected ${this.nextSeq}`);
    }
    this.nextSeq++;
    const want = Math.min(CONT_DATA_SIZE, this.length - this.filled);
    if (frame.length - 5 < want) {
      throw new TransportError(
        'framing',
        `continuation frame ${seq} carries ${Math.max(0, frame.length - 5)} bytes, expected ${want}`,
      );
    }
    copyInto(this.buffer, this.filled, frame, 5, want);
    this.filled += want;
  }

  get payload(): Uint8Array {
    return this.buffer;
  }
}
