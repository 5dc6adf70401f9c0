import { describe, expect, it } from 'vitest';
import { Ctap2Cmd } from '../../../src/ctap/ctap2/constants.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { TransportError } from '../../../src/ctap/errors.js';
import { BROADCAST_CID, CtapHidCmd, CtapHidError, MAX_MESSAGE_SIZE } from '../../../src/ctap/hid/constants.js';
import { KeepaliveStatus } from '../../../src/ctap/transport.js';
import { encodeFrames, readCid, writeCid } from '../../../src/ctap/hid/frame.js';
import { MESSAGE_TIMEOUT_MS } from '../../../src/ctap/virtual/hid/VirtualHidDevice.js';
import type { PresenceRequest } from '../../../src/ctap/virtual/index.js';
import { HidDriver, delay, fastKey, makeCredentialParams, neverTouch } from './support.js';

const NONCE = Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4);

function patterned(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff);
}

/** An initialization frame with any length field, built by hand. */
function initFrame(cid: number, cmd: number, length: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const frame = new Uint8Array(64);
  writeCid(frame, cid);
  frame[4] = 0x80 | cmd;
  frame[5] = length >> 8;
  frame[6] = length & 0xff;
  frame.set(data.subarray(0, 57), 7);
  return frame;
}

async function openChannel(key = fastKey()) {
  const driver = new HidDriver(key.hidConnection());
  const cid = await driver.init();
  return { key, driver, cid };
}

async function expectError(driver: HidDriver, cid: number, code: number): Promise<void> {
  const answer = await driver.receive(cid);
  expect(answer.cmd).toBe(CtapHidCmd.ERROR);
  expect(answer.payload).toEqual(Uint8Array.of(code));
}

describe('CTAPHID INIT', () => {
  it('allocates a fresh channel on the broadcast channel and echoes the nonce with versions and capabilities', async () => {
    const driver = new HidDriver(fastKey().hidConnection());
    await driver.send(BROADCAST_CID, CtapHidCmd.INIT, NONCE);
    const answer = await driver.receive(BROADCAST_CID);
    expect(answer.cmd).toBe(CtapHidCmd.INIT);
    expect(answer.payload.length).toBe(17);
    expect(answer.payload.subarray(0, 8)).toEqual(NONCE);
    const cid = readCid(answer.payload.subarray(8, 12));
    expect(cid).not.toBe(0);
    expect(cid).not.toBe(BROADCAST_CID);
    expect([...answer.payload.subarray(12)]).toEqual([2, 5, 4, 3, 0x05]); // protocol 2, device 5.4.3, WINK|CBOR (U2F_V2: no NMSG)
  });

  it('allocates a different channel for every INIT on the broadcast channel', async () => {
    const key = fastKey();
    const a = await new HidDriver(key.hidConnection()).init();
    const b = await new HidDriver(key.hidConnection()).init();
    expect(a).not.toBe(b);
  });

  it('answers INIT on an allocated channel with that same channel (resync)', async () => {
    const { driver, cid } = await openChannel();
    await driver.send(cid, CtapHidCmd.INIT, NONCE);
    const answer = await driver.receive(cid);
    expect(answer.cmd).toBe(CtapHidCmd.INIT);
    expect(answer.payload.subarray(0, 8)).toEqual(NONCE);
    expect(readCid(answer.payload.subarray(8, 12))).toBe(cid);
  });

  it('abandons the channel\u2019s pending request on resync: its answer never comes and the key serves the next one', async () => {
    const { key, driver, cid } = await openChannel(fastKey({ presence: neverTouch }));
    await driver.sendCbor(cid, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams());
    await delay(30);
    await driver.send(cid, CtapHidCmd.INIT, NONCE);
    expect((await driver.receive(cid)).cmd).toBe(CtapHidCmd.INIT);
    key.presence = () => Promise.resolve(true);
    await driver.sendCbor(cid, Ctap2Cmd.GET_INFO);
    const answer = await driver.receive(cid);
    expect(answer.cmd).toBe(CtapHidCmd.CBOR);
    expect(answer.payload[0]).toBe(CtapStatus.CTAP2_OK);
    expect(answer.payload.length).toBeGreaterThan(100); // getInfo, not the abandoned makeCredential's CANCEL
  });

  it('rejects INIT whose payload is not an 8-byte nonce with ERR_INVALID_LEN', async () => {
    const driver = new HidDriver(fastKey().hidConnection());
    await driver.writeFrames([initFrame(BROADCAST_CID, CtapHidCmd.INIT, 4, NONCE)]);
    await expectError(driver, BROADCAST_CID, CtapHidError.INVALID_LEN);
  });
});

describe('CTAPHID framing', () => {
  it('echoes a PING that spans continuation frames', async () => {
    const { driver, cid } = await openChannel();
    const data = patterned(200);
    const frames = encodeFrames(cid, CtapHidCmd.PING, data);
    expect(frames.length).toBe(4); // 57 + 3 x 59 >= 200
    await driver.writeFrames(frames);
    const echo = await driver.receive(cid);
    expect(echo.cmd).toBe(CtapHidCmd.PING);
    expect(echo.payload).toEqual(data);
  });

  it('echoes a PING of the maximum 7609 bytes in 129 frames', async () => {
    const { driver, cid } = await openChannel();
    const data = patterned(MAX_MESSAGE_SIZE);
    const frames = encodeFrames(cid, CtapHidCmd.PING, data);
    expect(frames.length).toBe(129);
    await driver.writeFrames(frames);
    expect((await driver.receive(cid)).payload).toEqual(data);
  });

  it('rejects a continuation frame with the wrong sequence number with ERR_INVALID_SEQ', async () => {
    const { driver, cid } = await openChannel();
    const frames = encodeFrames(cid, CtapHidCmd.PING, patterned(150));
    frames[2]![4] = 5;
    await driver.writeFrames(frames);
    await expectError(driver, cid, CtapHidError.INVALID_SEQ);
  });

  it('rejects a new request in the middle of a message on the same channel with ERR_INVALID_SEQ', async () => {
    const { driver, cid } = await openChannel();
    await driver.writeFrames([encodeFrames(cid, CtapHidCmd.PING, patterned(150))[0]!]);
    await driver.send(cid, CtapHidCmd.WINK);
    await expectError(driver, cid, CtapHidError.INVALID_SEQ);
  });

  it('rejects a message length over 7609 bytes with ERR_INVALID_LEN', async () => {
    const { driver, cid } = await openChannel();
    await driver.writeFrames([initFrame(cid, CtapHidCmd.PING, MAX_MESSAGE_SIZE + 1)]);
    await expectError(driver, cid, CtapHidError.INVALID_LEN);
  });

  it('answers an unknown command with ERR_INVALID_CMD', async () => {
    const { driver, cid } = await openChannel();
    await driver.send(cid, 0x33, Uint8Array.of(1));
    await expectError(driver, cid, CtapHidError.INVALID_CMD);
  });

  it('answers a U2F APDU in CTAPHID_MSG with data and status word (version: U2F_V2 9000)', async () => {
    const { driver, cid } = await openChannel();
    await driver.send(cid, CtapHidCmd.MSG, Uint8Array.of(0, 3, 0, 0, 0));
    const answer = await driver.receive(cid);
    expect(answer.cmd).toBe(CtapHidCmd.MSG);
    expect(Buffer.from(answer.payload).toString('latin1')).toBe('U2F_V2\x90\x00');
  });

  it('rejects channel 0 with ERR_INVALID_CHANNEL', async () => {
    const driver = new HidDriver(fastKey().hidConnection());
    await driver.send(0, CtapHidCmd.PING, Uint8Array.of(1));
    await expectError(driver, 0, CtapHidError.INVALID_CHANNEL);
  });

  it('rejects a channel the key never allocated with ERR_INVALID_CHANNEL', async () => {
    const { driver, cid } = await openChannel();
    const stranger = cid === 0x01020304 ? 0x01020305 : 0x01020304;
    await driver.send(stranger, CtapHidCmd.PING, Uint8Array.of(1));
    await expectError(driver, stranger, CtapHidError.INVALID_CHANNEL);
  });

  it('rejects anything but INIT on the broadcast channel with ERR_INVALID_CHANNEL', async () => {
    const driver = new HidDriver(fastKey().hidConnection());
    await driver.send(BROADCAST_CID, CtapHidCmd.PING, Uint8Array.of(1));
    await expectError(driver, BROADCAST_CID, CtapHidError.INVALID_CHANNEL);
  });

  it('answers ERR_MSG_TIMEOUT when continuation frames stop arriving', async () => {
    const { driver, cid } = await openChannel();
    const started = Date.now();
    await driver.writeFrames(encodeFrames(cid, CtapHidCmd.PING, patterned(150)).slice(0, 2));
    await expectError(driver, cid, CtapHidError.MSG_TIMEOUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(MESSAGE_TIMEOUT_MS - 20);
  });

  it('ignores a continuation frame when no message is pending', async () => {
    const { driver, cid } = await openChannel();
    const stray = new Uint8Array(64);
    writeCid(stray, cid);
    stray[4] = 0;
    await driver.writeFrames([stray]);
    expect(await driver.nextFrame(50)).toBeUndefined();
  });

  it('refuses a report that is not 64 bytes at write time and stays usable', async () => {
    const { driver, cid } = await openChannel();
    await expect(driver.conn.write(new Uint8Array(63))).rejects.toMatchObject({
      name: 'TransportError',
      code: 'framing',
    });
    await expect(driver.conn.write(new Uint8Array(65))).rejects.toBeInstanceOf(TransportError);
    expect(await driver.nextFrame(30)).toBeUndefined();
    await driver.send(cid, CtapHidCmd.PING, Uint8Array.of(9));
    expect((await driver.receive(cid)).payload).toEqual(Uint8Array.of(9));
  });

  it('answers CTAPHID_CBOR without a payload with ERR_INVALID_LEN', async () => {
    const { driver, cid } = await openChannel();
    await driver.send(cid, CtapHidCmd.CBOR);
    await expectError(driver, cid, CtapHidError.INVALID_LEN);
  });

  it('answers WINK with an empty WINK', async () => {
    const { driver, cid } = await openChannel();
    await driver.send(cid, CtapHidCmd.WINK);
    const answer = await driver.receive(cid);
    expect(answer.cmd).toBe(CtapHidCmd.WINK);
    expect(answer.payload.length).toBe(0);
  });
});

describe('CTAPHID with two applications', () => {
  it('delivers every report to every connection, so applications tell theirs apart by channel', async () => {
    const key = fastKey();
    const a = await openChannel(key);
    const b = new HidDriver(key.hidConnection());
    await a.driver.send(a.cid, CtapHidCmd.PING, Uint8Array.of(7));
    const seenByB = await b.nextFrame();
    expect(seenByB && readCid(seenByB)).toBe(a.cid);
  });

  it('answers ERR_CHANNEL_BUSY to another channel while a request waits for a touch, then serves it', async () => {
    let touch: (answer: boolean) => void = () => undefined;
    const key = fastKey({ presence: () => new Promise((resolve) => (touch = resolve)) });
    const a = await openChannel(key);
    const b = await openChannel(key); // INIT is answered even while a request runs
    await a.driver.sendCbor(a.cid, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams());
    await delay(20);
    await b.driver.send(b.cid, CtapHidCmd.PING, Uint8Array.of(1));
    await expectError(b.driver, b.cid, CtapHidError.CHANNEL_BUSY);
    touch(true);
    expect((await a.driver.receive(a.cid)).payload[0]).toBe(CtapStatus.CTAP2_OK);
    await b.driver.send(b.cid, CtapHidCmd.PING, Uint8Array.of(1));
    expect((await b.driver.receive(b.cid)).cmd).toBe(CtapHidCmd.PING);
  });

  it('answers ERR_CHANNEL_BUSY to another channel while a message is still being assembled', async () => {
    const key = fastKey();
    const a = await openChannel(key);
    const b = await openChannel(key);
    await a.driver.writeFrames([encodeFrames(a.cid, CtapHidCmd.PING, patterned(100))[0]!]);
    await b.driver.send(b.cid, CtapHidCmd.PING, Uint8Array.of(1));
    await expectError(b.driver, b.cid, CtapHidError.CHANNEL_BUSY);
  });

  it('holds other channels off with ERR_CHANNEL_BUSY while LOCKed, until the lock is released', async () => {
    const key = fastKey();
    const a = await openChannel(key);
    const b = await openChannel(key);
    await a.driver.send(a.cid, CtapHidCmd.LOCK, Uint8Array.of(5));
    expect((await a.driver.receive(a.cid)).cmd).toBe(CtapHidCmd.LOCK);
    await b.driver.send(b.cid, CtapHidCmd.PING, Uint8Array.of(1));
    await expectError(b.driver, b.cid, CtapHidError.CHANNEL_BUSY);
    await a.driver.send(a.cid, CtapHidCmd.LOCK, Uint8Array.of(0));
    expect((await a.driver.receive(a.cid)).cmd).toBe(CtapHidCmd.LOCK);
    await b.driver.send(b.cid, CtapHidCmd.PING, Uint8Array.of(1));
    expect((await b.driver.receive(b.cid)).cmd).toBe(CtapHidCmd.PING);
  });

  it('rejects a LOCK of more than 10 seconds with ERR_INVALID_PAR', async () => {
    const { driver, cid } = await openChannel();
    await driver.send(cid, CtapHidCmd.LOCK, Uint8Array.of(11));
    await expectError(driver, cid, CtapHidError.INVALID_PAR);
  });
});

describe('CTAPHID CBOR, CANCEL and KEEPALIVE', () => {
  it('carries a CTAP2 request and its answer over CTAPHID_CBOR', async () => {
    const { driver, cid } = await openChannel();
    await driver.sendCbor(cid, Ctap2Cmd.GET_INFO);
    const answer = await driver.receive(cid);
    expect(answer.cmd).toBe(CtapHidCmd.CBOR);
    expect(answer.payload[0]).toBe(CtapStatus.CTAP2_OK);
  });

  it('sends UPNEEDED keepalives every keepaliveIntervalMs while waiting for a touch', async () => {
    let touch: (answer: boolean) => void = () => undefined;
    const key = fastKey({ keepaliveIntervalMs: 25, presence: () => new Promise((resolve) => (touch = resolve)) });
    const { driver, cid } = await openChannel(key);
    await driver.sendCbor(cid, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams());
    await delay(260);
    touch(true);
    const answer = await driver.receive(cid);
    expect(answer.payload[0]).toBe(CtapStatus.CTAP2_OK);
    expect(new Set(answer.keepalives)).toEqual(new Set([KeepaliveStatus.UPNEEDED]));
    // 260 ms / 25 ms is about 10; timers on a loaded machine may slip a little either way.
    expect(answer.keepalives.length).toBeGreaterThanOrEqual(6);
    expect(answer.keepalives.length).toBeLessThanOrEqual(11);
  });

  it('ends a request waiting for a touch with CTAP2_ERR_KEEPALIVE_CANCEL on CANCEL', async () => {
    const requests: PresenceRequest[] = [];
    const key = fastKey({ presence: (req) => (requests.push(req), neverTouch()) });
    const { driver, cid } = await openChannel(key);
    await driver.sendCbor(cid, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams());
    await delay(20);
    await driver.send(cid, CtapHidCmd.CANCEL);
    const answer = await driver.receive(cid);
    expect(answer.cmd).toBe(CtapHidCmd.CBOR);
    expect(answer.payload).toEqual(Uint8Array.of(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL));
    expect(requests[0]!.signal.aborted).toBe(true);
  });

  it('ignores CANCEL from another channel', async () => {
    let touch: (answer: boolean) => void = () => undefined;
    const key = fastKey({ presence: () => new Promise((resolve) => (touch = resolve)) });
    const a = await openChannel(key);
    const b = await openChannel(key);
    await a.driver.sendCbor(a.cid, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams());
    await delay(20);
    await b.driver.send(b.cid, CtapHidCmd.CANCEL);
    expect(await b.driver.nextFrame(30).then((f) => f && readCid(f) === b.cid)).toBeFalsy();
    touch(true);
    expect((await a.driver.receive(a.cid)).payload[0]).toBe(CtapStatus.CTAP2_OK);
  });

  it('answers a request that never gets a touch with CTAP2_ERR_USER_ACTION_TIMEOUT', async () => {
    const { driver, cid } = await openChannel(fastKey({ presence: neverTouch, userActionTimeoutMs: 80 }));
    await driver.sendCbor(cid, Ctap2Cmd.SELECTION);
    const answer = await driver.receive(cid);
    expect(answer.payload).toEqual(Uint8Array.of(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT));
    expect(answer.keepalives.length).toBeGreaterThan(2);
  });
});
