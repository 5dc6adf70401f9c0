import { describe, expect, it } from 'vitest';
import { CONT_DATA_SIZE, INIT_DATA_SIZE, MAX_MESSAGE_SIZE } from '../../../src/ctap/hid/constants.js';
import {
  MessageAssembler,
  continuationCount,
  encodeFrame,
  encodeFrames,
  readCid,
} from '../../../src/ctap/hid/frame.js';
import { TransportError } from '../../../src/ctap/errors.js';

const CID = 0x01020304;

describe('CTAPHID frames', () => {
  it.each([
    0,
    1,
    INIT_DATA_SIZE,
    INIT_DATA_SIZE + 1,
    INIT_DATA_SIZE + CONT_DATA_SIZE,
    INIT_DATA_SIZE + CONT_DATA_SIZE + 1,
    MAX_MESSAGE_SIZE,
  ])('splits a %i-byte message into reports that carry it exactly, zero-padded, and reassemble to it', (length) => {
    const payload = Uint8Array.from({ length }, (_, i) => (i % 251) + 1);
    const frames = encodeFrames(CID, 0x10, payload);
    expect(frames).toHaveLength(1 + continuationCount(length));
    const carried: number[] = [];
    frames.forEach((frame, i) => {
      expect(frame).toHaveLength(64);
      expect(readCid(frame)).toBe(CID);
      if (i === 0) {
        expect(Array.from(frame.subarray(4, 7))).toEqual([0x90, length >> 8, length & 0xff]);
        carried.push(...frame.subarray(7));
      } else {
        expect(frame[4]).toBe(i - 1);
        carried.push(...frame.subarray(5));
      }
      expect(encodeFrame(CID, 0x10, payload, i)).toEqual(frame);
    });
    expect(carried.slice(0, length)).toEqual(Array.from(payload));
    expect(carried.slice(length).every((b) => b === 0)).toBe(true);
    const assembler = new MessageAssembler(frames[0]!);
    for (const frame of frames.slice(1)) assembler.add(frame);
    expect(assembler.complete).toBe(true);
    expect(Array.from(assembler.payload)).toEqual(Array.from(payload));
  });

  it('refuses a message longer than 7609 bytes', () => {
    expect(() => encodeFrame(CID, 0x10, new Uint8Array(MAX_MESSAGE_SIZE + 1), 0)).toThrow(TransportError);
  });
});
