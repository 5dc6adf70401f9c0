import { describe, expect, it } from 'vitest';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { CtapHidCmd, CtapHidError, MAX_MESSAGE_SIZE } from '../../../src/ctap/hid/constants.js';
import { encodeFrames, readCid } from '../../../src/ctap/hid/frame.js';
import { TransportError } from '../../../src/ctap/errors.js';
import { fromHex } from '../../../src/ctap/bytes.js';
import { ScriptedHidConnection } from '../../support/scriptedHid.js';
import { RECORDED_CID, recordedReports } from '../../support/wiredata.js';

const NONCE = fromHex('0102030405060708');
const CID = RECORDED_CID;

/** The recorded INIT answer with the host's nonce patched in at offset 7, as libfido2's regress mock does. */
function initAnswer(request: Uint8Array): Uint8Array {
  const answer = recordedReports('WIREDATA_CTAP_INIT')[0]!.slice();
  answer.set(request.subarray(7, 15), 7);
  return answer;
}

function isInitRequest(frame: Uint8Array): boolean {
  return readCid(frame) === 0xffffffff && frame[4] === (0x80 | CtapHidCmd.INIT);
}

/** A device that answers INIT from the recording, then runs `onRequest` for every complete request frame set. */
async function openScripted(onRequest?: (frame: Uint8Array, conn: ScriptedHidConnection) => void) {
  const conn = new ScriptedHidConnection((frame, c) => {
    if (isInitRequest(frame)) c.push(initAnswer(frame));
    else onRequest?.(frame, c);
  });
  const device = await CtapHidDevice.open(conn, { nonce: () => NONCE });
  return { conn, device };
}

function errorFrame(cid: number, code: number): Uint8Array {
  return encodeFrames(cid, CtapHidCmd.ERROR, Uint8Array.of(code))[0]!;
}

describe('CtapHidDevice.open', () => {
  it('sends INIT on the broadcast channel with the nonce and adopts the allocated channel', async () => {
    const { conn, device } = await openScripted();
    expect(conn.written[0]!.subarray(0, 15)).toEqual(fromHex('ffffffff860008' + '0102030405060708'));
    expect(device.channelId).toBe(CID);
    expect(device.ctaphidVersion).toBe(2);
    expect(device.deviceVersion).toEqual({ major: 5, minor: 2, build: 1 });
    expect(device.capabilityFlags).toBe(0x05);
    expect(device.capabilities.wink).toBe(true);
    expect(device.capabilities.cbor).toBe(true);
    expect(device.capabilities.msg).toBe(true);
  });

  it('ignores an INIT answer carrying another application\u2019s nonce and takes the one with ours', async () => {
    const conn = new ScriptedHidConnection((frame, c) => {
      if (!isInitRequest(frame)) return;
      const other = recordedReports('WIREDATA_CTAP_INIT')[0]!;
      c.push(other, initAnswer(frame));
    });
    const device = await CtapHidDevice.open(conn, { nonce: () => NONCE });
    expect(device.channelId).toBe(CID);
  });

  it('fails with a nonce error when only answers with a wrong nonce arrive', async () => {
    const conn = new ScriptedHidConnection((frame, c) => {
      if (isInitRequest(frame)) c.push(recordedReports('WIREDATA_CTAP_INIT')[0]!);
    });
    const error = await CtapHidDevice.open(conn, { nonce: () => NONCE, initTimeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('nonce');
  });

  it('times out when the key never answers INIT', async () => {
    const conn = new ScriptedHidConnection();
    await expect(CtapHidDevice.open(conn, { initTimeoutMs: 100 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('refuses a key that allocates the broadcast channel', async () => {
    const conn = new ScriptedHidConnection((frame, c) => {
      const answer = initAnswer(frame);
      answer.set([0xff, 0xff, 0xff, 0xff], 15);
      c.push(answer);
    });
    await expect(CtapHidDevice.open(conn, { nonce: () => NONCE })).rejects.toMatchObject({ code: 'channel' });
  });
});

describe('CtapHidDevice.call', () => {
  it('replays the recorded getInfo answer after keepalives and reports UPNEEDED once', async () => {
    const statuses: number[] = [];
    const { device } = await openScripted((_frame, c) => {
      const keepalive = recordedReports('WIREDATA_CTAP_KEEPALIVE')[0]!;
      c.push(keepalive, keepalive, keepalive, ...recordedReports('WIREDATA_CTAP_CBOR_INFO'));
    });
    const answer = await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { onKeepalive: (s) => statuses.push(s) });
    expect(answer.length).toBe(597);
    expect(answer[0]).toBe(0);
    expect(statuses).toEqual([2]);
  });

  it('frames the request as the spec says: init frame with BCNT, then continuation frames', async () => {
    const { conn, device } = await openScripted((frame, c) => {
      if (frame[4]! & 0x80) return;
      if (frame[4] === 1) c.push(...encodeFrames(CID, CtapHidCmd.PING, new Uint8Array(117).fill(0xab)));
    });
    await device.ping(new Uint8Array(117).fill(0xab));
    const sent = conn.written.slice(1);
    expect(sent).toHaveLength(3);
    expect(sent[0]!.subarray(0, 7)).toEqual(fromHex('00220002810075'));
    expect(sent[1]!.subarray(0, 5)).toEqual(fromHex('0022000200'));
    expect(sent[2]!.subarray(0, 5)).toEqual(fromHex('0022000201'));
  });

  it('ignores frames for other channels while waiting', async () => {
    const { device } = await openScripted((frame, c) => {
      c.push(
        ...encodeFrames(0x11111111, CtapHidCmd.CBOR, Uint8Array.of(0x27)),
        ...encodeFrames(CID, CtapHidCmd.CBOR, Uint8Array.of(0)),
      );
      void frame;
    });
    expect(await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x0b))).toEqual(Uint8Array.of(0));
  });

  it('ignores continuation frames from another channel (the recorded assertion switches CID mid-answer) and times out', async () => {
    const { device } = await openScripted((_f, c) => c.push(...recordedReports('WIREDATA_CTAP_CBOR_ASSERT')));
    await expect(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x02), { timeoutMs: 150 })).rejects.toMatchObject({
      code: 'timeout',
    });
  });

  it('rejects a continuation frame with the wrong sequence number', async () => {
    const { device } = await openScripted((_f, c) => {
      const frames = encodeFrames(CID, CtapHidCmd.CBOR, new Uint8Array(200));
      frames[2]![4] = 5;
      c.push(...frames);
    });
    const error = await device.call(CtapHidCmd.CBOR, Uint8Array.of(4)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'sequence' });
    expect((error as Error).message).toMatch(/sequence 5, expected 1/);
  });

  it('rejects a continuation frame that arrives before any initialization frame', async () => {
    const { device } = await openScripted((_f, c) =>
      c.push(encodeFrames(CID, CtapHidCmd.CBOR, new Uint8Array(100))[1]!),
    );
    await expect(device.call(CtapHidCmd.CBOR, Uint8Array.of(4))).rejects.toMatchObject({ code: 'sequence' });
  });

  it('rejects an answer to a different command', async () => {
    const { device } = await openScripted((_f, c) =>
      c.push(...encodeFrames(CID, CtapHidCmd.MSG, Uint8Array.of(0x90, 0))),
    );
    await expect(device.call(CtapHidCmd.CBOR, Uint8Array.of(4))).rejects.toThrow(/command 0x3, expected 0x10/);
  });

  it('turns an ERROR frame into a TransportError with the spec name', async () => {
    const { device } = await openScripted((_f, c) => c.push(errorFrame(CID, CtapHidError.INVALID_SEQ)));
    const error = await device.call(CtapHidCmd.CBOR, Uint8Array.of(4)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'hid-error', detail: 4 });
    expect((error as Error).message).toMatch(/ERR_INVALID_SEQ/);
  });

  it('retries after CHANNEL_BUSY and succeeds when the key frees up', async () => {
    let requests = 0;
    const { device } = await openScripted((_f, c) => {
      requests++;
      c.push(
        requests < 3
          ? errorFrame(CID, CtapHidError.CHANNEL_BUSY)
          : encodeFrames(CID, CtapHidCmd.CBOR, Uint8Array.of(0))[0]!,
      );
    });
    const started = Date.now();
    expect(await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x0b), { timeoutMs: 2000 })).toEqual(Uint8Array.of(0));
    expect(requests).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('gives up with a busy error when CHANNEL_BUSY outlasts the timeout', async () => {
    const { device } = await openScripted((_f, c) => c.push(errorFrame(CID, CtapHidError.CHANNEL_BUSY)));
    await expect(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x0b), { timeoutMs: 350 })).rejects.toMatchObject({
      code: 'busy',
    });
  });

  it('re-arms the timeout on every keepalive', async () => {
    const { device } = await openScripted((_f, c) => {
      const keepalive = encodeFrames(CID, CtapHidCmd.KEEPALIVE, Uint8Array.of(1))[0]!;
      let n = 0;
      const timer = setInterval(() => {
        n++;
        if (n < 6) c.push(keepalive);
        else {
          clearInterval(timer);
          c.push(encodeFrames(CID, CtapHidCmd.CBOR, Uint8Array.of(0))[0]!);
        }
      }, 60);
    });
    // 6 x 60 ms is well past the 150 ms timeout, but no gap between signs of life exceeds it.
    expect(await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x0b), { timeoutMs: 150 })).toEqual(Uint8Array.of(0));
  });

  it('on abort sends CANCEL on its channel and rejects as cancelled once the key answers', async () => {
    const controller = new AbortController();
    const { conn, device } = await openScripted((frame, c) => {
      if (frame[4] === (0x80 | CtapHidCmd.CANCEL)) {
        c.push(encodeFrames(CID, CtapHidCmd.CBOR, Uint8Array.of(0x2d))[0]!);
        return;
      }
      c.push(encodeFrames(CID, CtapHidCmd.KEEPALIVE, Uint8Array.of(2))[0]!);
      setTimeout(() => controller.abort(), 30);
    });
    const error = await device
      .call(CtapHidCmd.CBOR, Uint8Array.of(0x0b), { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cancelled' });
    const cancel = conn.written.at(-1)!;
    expect(cancel.subarray(0, 7)).toEqual(fromHex('00220002910000'));
  });

  it('stops listening shortly after CANCEL even when the key stays silent', async () => {
    const controller = new AbortController();
    const { device } = await openScripted(() => setTimeout(() => controller.abort(), 20));
    const started = Date.now();
    await expect(
      device.call(CtapHidCmd.CBOR, Uint8Array.of(0x0b), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('sends nothing for a call whose signal is already aborted, whether the channel is idle or busy', async () => {
    const { conn, device } = await openScripted((frame, c) => {
      if (frame[4] === (0x80 | CtapHidCmd.PING))
        setTimeout(() => c.push(encodeFrames(CID, CtapHidCmd.PING, frame.subarray(7, 8))[0]!), 20);
    });
    const aborted = AbortSignal.abort();
    await expect(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x0b), { signal: aborted })).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(conn.written).toHaveLength(1);
    // Queued behind a request in flight: still nothing on the wire for it once its turn comes.
    const inFlight = device.call(CtapHidCmd.PING, Uint8Array.of(0x42));
    const queued = device.call(CtapHidCmd.CBOR, Uint8Array.of(0x0b), { signal: aborted });
    await expect(queued).rejects.toMatchObject({ code: 'cancelled' });
    expect(await inFlight).toEqual(Uint8Array.of(0x42));
    expect(conn.written).toHaveLength(2);
  });

  it('refuses a request beyond 7609 bytes before sending anything', async () => {
    const { conn, device } = await openScripted();
    await expect(device.call(CtapHidCmd.PING, new Uint8Array(MAX_MESSAGE_SIZE + 1))).rejects.toMatchObject({
      code: 'too-large',
    });
    expect(conn.written).toHaveLength(1);
  });

  it('rejects calls after close', async () => {
    const { device } = await openScripted();
    await device.close();
    await expect(device.call(CtapHidCmd.PING, new Uint8Array(1))).rejects.toMatchObject({ code: 'closed' });
  });

  it('runs concurrent calls one after the other on its channel', async () => {
    const order: number[] = [];
    const { device } = await openScripted((frame, c) => {
      const n = frame[7]!;
      order.push(n);
      setTimeout(() => c.push(...encodeFrames(CID, CtapHidCmd.PING, Uint8Array.of(n))), 20);
    });
    await Promise.all([device.ping(Uint8Array.of(1)), device.ping(Uint8Array.of(2)), device.ping(Uint8Array.of(3))]);
    expect(order).toEqual([1, 2, 3]);
  });
});
