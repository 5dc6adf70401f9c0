// Replays libfido2's recorded YubiKey reports through a real CtapHidDevice: INIT answered with the host's nonce, each CBOR request with the next recorded message.

import { concatBytes } from '../../src/ctap/bytes.js';
import { CtapHidDevice } from '../../src/ctap/hid/CtapHidDevice.js';
import { CtapHidCmd } from '../../src/ctap/hid/constants.js';
import { continuationCount, isInitFrame, readCid, writeCid } from '../../src/ctap/hid/frame.js';
import { ScriptedHidConnection } from './scriptedHid.js';
import { RECORDED_CID, recordedReports } from './wiredata.js';

/** Opens a CtapHidDevice whose key answers INIT (nonce patched in) and then each CBOR request with the next group of reports. */
export async function replayDevice(
  ...answers: Uint8Array[][]
): Promise<{ conn: ScriptedHidConnection; device: CtapHidDevice }> {
  const queue = [...answers];
  const conn = new ScriptedHidConnection((frame, c) => {
    if (readCid(frame) === 0xffffffff) {
      const init = recordedReports('WIREDATA_CTAP_INIT')[0]!.slice();
      init.set(frame.subarray(7, 15), 7);
      c.push(init);
    } else if (frame[4] === (0x80 | CtapHidCmd.CBOR)) {
      c.push(...(queue.shift() ?? []));
    }
  });
  const device = await CtapHidDevice.open(conn);
  return { conn, device };
}

/** Recordings made on other channels: a real key answers on the channel it allocated in INIT, so rewrite their CID. */
export function onRecordedChannel(reports: Uint8Array[]): Uint8Array[] {
  return reports.map((r) => {
    const copy = r.slice();
    writeCid(copy, RECORDED_CID);
    return copy;
  });
}

/**
 * Splits a recording of several answers into one group of reports per answer. KEEPALIVE frames stay with the answer
 * that follows them, as the key sent them while working on it.
 */
export function splitMessages(reports: Uint8Array[]): Uint8Array[][] {
  const groups: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  for (let i = 0; i < reports.length; i++) {
    const report = reports[i]!;
    current.push(report);
    if (!isInitFrame(report) || (report[4]! & 0x7f) === CtapHidCmd.KEEPALIVE) continue;
    const length = (report[5]! << 8) | report[6]!;
    const continuations = continuationCount(length);
    current.push(...reports.slice(i + 1, i + 1 + continuations));
    i += continuations;
    groups.push(current);
    current = [];
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The payload (status byte then CBOR) of the answer in one group from splitMessages, keepalives skipped. */
export function messagePayload(group: Uint8Array[]): Uint8Array {
  const start = group.findIndex((r) => isInitFrame(r) && (r[4]! & 0x7f) !== CtapHidCmd.KEEPALIVE);
  if (start < 0) throw new Error('no answer in this group of reports');
  const init = group[start]!;
  const length = (init[5]! << 8) | init[6]!;
  return concatBytes(init.subarray(7), ...group.slice(start + 1).map((r) => r.subarray(5))).slice(0, length);
}

/** The payload of every answer in a recording. */
export function recordedMessages(name: string): Uint8Array[] {
  return splitMessages(recordedReports(name)).map(messagePayload);
}

/** The CBOR body (after the status byte) of a recording's first answer. */
export function recordedBody(name: string): Uint8Array {
  return recordedMessages(name)[0]!.subarray(1);
}
