// Ctap1 (U2F) replaying a YubiKey's recorded CTAPHID_MSG answers, plus U2F-only detection and property tests of the U2F parsers.
import { X509Certificate, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ctap1 } from '../../../src/ctap/ctap1/Ctap1.js';
import { parseAuthenticateResponse } from '../../../src/ctap/ctap1/authenticateResponse.js';
import { detectCtapVersion, isU2fOnly } from '../../../src/ctap/authenticator/detectCtapVersion.js';
import { parseRegisterResponse } from '../../../src/ctap/ctap1/registerResponse.js';
import { concatBytes, fromHex, toHex } from '../../../src/ctap/bytes.js';
import { ClientError, CtapError, ProtocolError, TransportError } from '../../../src/ctap/errors.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { CtapHidCmd, CtapHidError } from '../../../src/ctap/hid/constants.js';
import { encodeFrames, readCid, writeCid } from '../../../src/ctap/hid/frame.js';
import { CtapNfcDevice } from '../../../src/ctap/nfc/CtapNfcDevice.js';
import type { SmartCardConnection } from '../../../src/ctap/transport.js';
import { CaptureDevice } from '../../support/captureDevice.js';
import { FUZZ_RUNS, expectOnlyTypedErrors, expectOnlyTypedErrorsAsync, mutationsOf } from '../../support/fuzz.js';
import { ScriptedHidConnection } from '../../support/scriptedHid.js';
import { RECORDED_CID, recordedReports, regressVector } from '../../support/wiredata.js';

const sha256 = (text: string): Uint8Array => new Uint8Array(createHash('sha256').update(text).digest());

// The parameters the recordings were made with (found by verifying their signatures): rp "localhost" and libfido2's regress
// client data hashes, cred.c's for the registration and assert.c's for the authentication.
const APP = sha256('localhost');
const REGISTER_CHALLENGE = regressVector('regress/cred.c:cdh');
const AUTH_CHALLENGE = regressVector('regress/assert.c:cdh');

/** The credential public key from the recorded registration: the recorded authentication was signed with it. */
const AUTH_PUBLIC_KEY = payloadOf('WIREDATA_CTAP_U2F_REGISTER').slice(1, 66);

/** The recordings were made on CID 00009901; a key answers on the channel INIT gave us, so move them there. */
function onInitChannel(name: string): Uint8Array[] {
  return recordedReports(name).map((report) => {
    const copy = report.slice();
    writeCid(copy, RECORDED_CID);
    return copy;
  });
}

/** The reassembled MSG payload of a recording: response data then SW1 SW2. */
function payloadOf(name: string): Uint8Array {
  const reports = recordedReports(name);
  const length = (reports[0]![5]! << 8) | reports[0]![6]!;
  return concatBytes(reports[0]!.subarray(7), ...reports.slice(1).map((r) => r.subarray(5))).subarray(0, length);
}

/** A MSG answer made up for cases the recordings do not cover: data then the status word. */
function msgAnswer(hex: string): Uint8Array[] {
  return encodeFrames(RECORDED_CID, CtapHidCmd.MSG, fromHex(hex));
}

/** Opens a CtapHidDevice on a script answering INIT (capabilities as given) and then each MSG request with the next answer. */
async function replay(answers: Uint8Array[][], opts: { capabilities?: number; cbor?: Uint8Array[][] } = {}) {
  const msgQueue = [...answers];
  const cborQueue = [...(opts.cbor ?? [])];
  const conn = new ScriptedHidConnection((frame, c) => {
    if (readCid(frame) === 0xffffffff) {
      const init = recordedReports('WIREDATA_CTAP_INIT')[0]!.slice();
      init.set(frame.subarray(7, 15), 7);
      if (opts.capabilities !== undefined) init[7 + 16] = opts.capabilities;
      c.push(init);
    } else if (frame[4] === (0x80 | CtapHidCmd.MSG)) {
      c.push(...(msgQueue.shift() ?? []));
    } else if (frame[4] === (0x80 | CtapHidCmd.CBOR)) {
      c.push(...(cborQueue.shift() ?? []));
    }
  });
  const device = await CtapHidDevice.open(conn);
  return { conn, device, msgQueue };
}

/** The MSG requests the client wrote, reassembled (the INIT request is left out). */
function msgRequests(conn: ScriptedHidConnection): string[] {
  const out: string[] = [];
  let current: { bytes: Uint8Array[]; length: number } | undefined;
  for (const frame of conn.written) {
    if (readCid(frame) !== RECORDED_CID) continue;
    if (frame[4] === (0x80 | CtapHidCmd.MSG)) {
      current = { bytes: [frame.subarray(7)], length: (frame[5]! << 8) | frame[6]! };
      out.push('');
    } else if (current && (frame[4]! & 0x80) === 0) {
      current.bytes.push(frame.subarray(5));
    } else {
      current = undefined;
      continue;
    }
    out[out.length - 1] = toHex(concatBytes(...current.bytes).subarray(0, current.length));
  }
  return out;
}

describe('Ctap1 replaying a YubiKey over CTAPHID_MSG', () => {
  it('sends U2F_VERSION as an extended APDU with Le 0000 and reads U2F_V2', async () => {
    const { conn, device } = await replay([msgAnswer(toHex(new TextEncoder().encode('U2F_V2')) + '9000')]);
    expect(await new Ctap1(device).getVersion()).toBe('U2F_V2');
    expect(msgRequests(conn)).toEqual(['00030000000000']);
  });

  it('sends register as CLA 00 INS 01 P1 00 P2 00, extended Lc 0040, challenge then application, Le 0000', async () => {
    const { conn, device } = await replay([onInitChannel('WIREDATA_CTAP_U2F_REGISTER')]);
    await new Ctap1(device).register(REGISTER_CHALLENGE, APP);
    expect(msgRequests(conn)).toEqual([`00010000000040${toHex(REGISTER_CHALLENGE)}${toHex(APP)}0000`]);
  });

  it('parses the recorded registration: 65-byte public key, 64-byte key handle, the Yubico attestation certificate, a signature that verifies', async () => {
    const { device } = await replay([onInitChannel('WIREDATA_CTAP_U2F_REGISTER')]);
    const reg = await new Ctap1(device).register(REGISTER_CHALLENGE, APP);
    expect(reg.publicKey.length).toBe(65);
    expect(reg.publicKey[0]).toBe(0x04);
    expect(toHex(reg.publicKey.subarray(0, 8))).toBe('049fa0f90d4cf4ae');
    expect(reg.keyHandle.length).toBe(64);
    // The certificate's length came from its DER header: node parses exactly those bytes.
    expect(reg.certificate.length).toBe(595);
    const cert = new X509Certificate(reg.certificate);
    expect(cert.subject).toBe('CN=Yubico U2F EE Serial 23925734516550387');
    expect(cert.issuer).toBe('CN=Yubico U2F Root CA Serial 457200631');
    expect(reg.signature.length).toBe(70);
    expect(reg.signature[0]).toBe(0x30);
    expect(toHex(reg.raw)).toBe(toHex(payloadOf('WIREDATA_CTAP_U2F_REGISTER').subarray(0, -2)));
    expect(reg.verify()).toBe(true);
  });

  it('reports a registration whose signed data changed as not verifying', () => {
    const raw = payloadOf('WIREDATA_CTAP_U2F_REGISTER').subarray(0, -2);
    const otherChallenge = REGISTER_CHALLENGE.slice();
    otherChallenge[0]! ^= 1;
    expect(parseRegisterResponse(raw, { appParam: APP, challengeParam: otherChallenge }).verify()).toBe(false);
    expect(
      parseRegisterResponse(raw, { appParam: sha256('example.com'), challengeParam: REGISTER_CHALLENGE }).verify(),
    ).toBe(false);
  });

  it('polls a 6985 answer every interval, reports user presence needed once, and returns the touched answer (counter 0x2c, user present)', async () => {
    const statuses: number[] = [];
    const { conn, device } = await replay([
      onInitChannel('WIREDATA_CTAP_U2F_6985'),
      onInitChannel('WIREDATA_CTAP_U2F_6985'),
      onInitChannel('WIREDATA_CTAP_U2F_AUTH'),
    ]);
    const keyHandle = new Uint8Array(64).fill(0xab);
    const started = Date.now();
    const auth = await new Ctap1(device, { pollIntervalMs: 20 }).authenticate(AUTH_CHALLENGE, APP, keyHandle, {
      onKeepalive: (s) => statuses.push(s),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(statuses).toEqual([2]);
    const expected = `00020300000081${toHex(AUTH_CHALLENGE)}${toHex(APP)}40${toHex(keyHandle)}0000`;
    expect(msgRequests(conn)).toEqual([expected, expected, expected]);
    expect(auth.userPresence).toBe(1);
    expect(auth.userPresent).toBe(true);
    expect(auth.counter).toBe(0x2c);
    expect(auth.signature.length).toBe(71);
    expect(auth.verify({ appParam: APP, challengeParam: AUTH_CHALLENGE, publicKey: AUTH_PUBLIC_KEY })).toBe(true);
    expect(auth.verify({ appParam: APP, challengeParam: REGISTER_CHALLENGE, publicKey: AUTH_PUBLIC_KEY })).toBe(false);
  });

  it('asks check-only with P1 07: 6985 means the key handle is known, 6A80 that it is not, and no touch is awaited', async () => {
    const { conn, device } = await replay([onInitChannel('WIREDATA_CTAP_U2F_6985'), msgAnswer('6a80')]);
    const ctap1 = new Ctap1(device);
    const keyHandle = fromHex('0102');
    const statuses: number[] = [];
    expect(
      await ctap1.authenticate(AUTH_CHALLENGE, APP, keyHandle, {
        checkOnly: true,
        onKeepalive: (s) => statuses.push(s),
      }),
    ).toEqual({ known: true });
    expect(await ctap1.authenticate(AUTH_CHALLENGE, APP, keyHandle, { checkOnly: true })).toEqual({ known: false });
    expect(statuses).toEqual([]);
    expect(msgRequests(conn)[0]).toBe(`00020700000043${toHex(AUTH_CHALLENGE)}${toHex(APP)}0201020000`);
  });

  it('encodes short APDUs when asked: one-byte Lc and Le 00', async () => {
    const { conn, device } = await replay([onInitChannel('WIREDATA_CTAP_U2F_REGISTER')]);
    await new Ctap1(device, { apduForm: 'short' }).register(REGISTER_CHALLENGE, APP);
    expect(msgRequests(conn)).toEqual([`0001000040${toHex(REGISTER_CHALLENGE)}${toHex(APP)}00`]);
  });

  it('turns other status words into TransportError("apdu") with the SW as detail', async () => {
    const { device } = await replay([msgAnswer('6d00'), msgAnswer('6a80'), msgAnswer('6700')]);
    const ctap1 = new Ctap1(device);
    const version = await ctap1.getVersion().catch((e: unknown) => e);
    expect(version).toBeInstanceOf(TransportError);
    expect(version).toMatchObject({ code: 'apdu', detail: 0x6d00 });
    expect((version as Error).message).toBe('U2F version answered 6D00 (INS_NOT_SUPPORTED), expected 9000');
    const sign = await ctap1.authenticate(AUTH_CHALLENGE, APP, fromHex('01')).catch((e: unknown) => e);
    expect(sign).toMatchObject({ code: 'apdu', detail: 0x6a80 });
    expect((sign as Error).message).toMatch(/did not make this key handle/);
    await expect(ctap1.register(REGISTER_CHALLENGE, APP)).rejects.toMatchObject({ code: 'apdu', detail: 0x6700 });
  });

  it('stops polling with TransportError("timeout") when the key is never touched', async () => {
    const answers = Array.from({ length: 50 }, () => onInitChannel('WIREDATA_CTAP_U2F_6985'));
    const { device } = await replay(answers);
    await expect(
      new Ctap1(device, { pollIntervalMs: 10 }).register(REGISTER_CHALLENGE, APP, { timeoutMs: 60 }),
    ).rejects.toMatchObject({
      name: 'TransportError',
      code: 'timeout',
    });
  });

  it('stops polling with TransportError("cancelled") as soon as the signal aborts', async () => {
    const answers = Array.from({ length: 50 }, () => onInitChannel('WIREDATA_CTAP_U2F_6985'));
    const { device } = await replay(answers);
    const controller = new AbortController();
    const pending = new Ctap1(device, { pollIntervalMs: 5_000 }).register(REGISTER_CHALLENGE, APP, {
      signal: controller.signal,
      onKeepalive: () => controller.abort(),
    });
    const started = Date.now();
    await expect(pending).rejects.toMatchObject({ name: 'TransportError', code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses parameters that are not 32 bytes and key handles that do not fit one length byte, before sending', async () => {
    const device = new CaptureDevice();
    const ctap1 = new Ctap1(device);
    await expect(ctap1.register(new Uint8Array(31), APP)).rejects.toMatchObject({
      name: 'ClientError',
      reason: 'bad-request',
    });
    await expect(ctap1.authenticate(AUTH_CHALLENGE, new Uint8Array(33), fromHex('01'))).rejects.toBeInstanceOf(
      ClientError,
    );
    await expect(ctap1.authenticate(AUTH_CHALLENGE, APP, new Uint8Array(256))).rejects.toBeInstanceOf(ClientError);
    await expect(ctap1.authenticate(AUTH_CHALLENGE, APP, new Uint8Array(0))).rejects.toBeInstanceOf(ClientError);
    expect(device.requests).toHaveLength(0);
  });
});

describe('U2F response parsing', () => {
  const register = payloadOf('WIREDATA_CTAP_U2F_REGISTER').subarray(0, -2);
  const params = { appParam: APP, challengeParam: REGISTER_CHALLENGE };

  it('rejects a wrong reserved byte, a compressed public key, a key handle or certificate running past the end', () => {
    const cases: [string, (b: Uint8Array) => Uint8Array][] = [
      ['reserved byte', (b) => ((b[0] = 0x04), b)],
      ['public key', (b) => ((b[1] = 0x02), b)],
      ['key handle length', (b) => ((b[66] = 0xff), b.subarray(0, 300))],
      ['certificate tag', (b) => ((b[67 + 64] = 0x31), b)],
      ['certificate length', (b) => ((b[67 + 64 + 1] = 0x85), b)],
      ['no signature', (b) => b.subarray(0, 67 + 64 + 595)],
      ['too short', (b) => b.subarray(0, 60)],
    ];
    for (const [name, mutate] of cases) {
      expect(() => parseRegisterResponse(mutate(register.slice()), params), name).toThrow(ProtocolError);
    }
  });

  it('reads a certificate whose DER length has one length byte (81 xx) and one of short form', () => {
    const head = register.subarray(0, 67 + 64);
    const longForm = concatBytes(head, fromHex('3081' + '03' + '020100'), fromHex('3000'));
    expect(toHex(parseRegisterResponse(longForm, params).certificate)).toBe('3081' + '03' + '020100');
    const shortForm = concatBytes(head, fromHex('3003020100'), fromHex('aa'));
    const reg = parseRegisterResponse(shortForm, params);
    expect(toHex(reg.certificate)).toBe('3003020100');
    expect(toHex(reg.signature)).toBe('aa');
    // Not a certificate node can read: verify() says so with a typed error.
    expect(() => reg.verify()).toThrow(ProtocolError);
  });

  it('rejects an authentication response without a signature, and a public key that is not a P-256 point', () => {
    expect(() => parseAuthenticateResponse(fromHex('010000002c'))).toThrow(ProtocolError);
    const auth = parseAuthenticateResponse(payloadOf('WIREDATA_CTAP_U2F_AUTH').subarray(0, -2));
    expect(() =>
      auth.verify({ appParam: APP, challengeParam: AUTH_CHALLENGE, publicKey: AUTH_PUBLIC_KEY.subarray(1) }),
    ).toThrow(ProtocolError);
    const offCurve = AUTH_PUBLIC_KEY.slice();
    offCurve[64]! ^= 1;
    expect(() => auth.verify({ appParam: APP, challengeParam: AUTH_CHALLENGE, publicKey: offCurve })).toThrow(
      ProtocolError,
    );
  });
});

/** A card with the FIDO applet that answers SELECT with `version` and refuses NFCCTAP_MSG as U2F-only cards do. */
function u2fOnlyCard(): SmartCardConnection & { apdus: string[] } {
  const apdus: string[] = [];
  return {
    apdus,
    async transmit(apdu) {
      apdus.push(toHex(apdu));
      if (apdu[1] === 0xa4) return concatBytes(new TextEncoder().encode('U2F_V2'), fromHex('9000'));
      if (apdu[0] === 0x80) return fromHex('6d00');
      if (apdu[1] === 0x03) return concatBytes(new TextEncoder().encode('U2F_V2'), fromHex('9000'));
      return fromHex('6d00');
    },
    async close() {},
  };
}

describe('detectCtapVersion', () => {
  it('says CTAP2 for the recorded YubiKey 5, with its getInfo read, which also lists U2F', async () => {
    const { device } = await replay([], { cbor: [recordedReports('WIREDATA_CTAP_CBOR_INFO')] });
    const detected = await detectCtapVersion(device);
    expect(detected.kind).toBe('ctap2');
    if (detected.kind !== 'ctap2') return;
    expect(detected.ctap2.info.versions).toContain('FIDO_2_1');
    expect(Ctap1.isSupported(detected.ctap2.info)).toBe(true);
    expect(Ctap1.isSupported({ versions: ['FIDO_2_0', 'FIDO_2_1'] })).toBe(false);
  });

  it('says U2F from INIT capabilities without CBOR, sending nothing more', async () => {
    const { conn, device } = await replay([], { capabilities: 0x01 });
    const detected = await detectCtapVersion(device);
    expect(detected).toMatchObject({ kind: 'u2f', device, reason: 'its usb channel carries no CTAP2 (CBOR)' });
    expect(conn.written).toHaveLength(1);
  });

  it('refuses a HID key with neither CBOR nor MSG', async () => {
    const { device } = await replay([], { capabilities: 0x08 });
    await expect(detectCtapVersion(device)).rejects.toMatchObject({
      name: 'ClientError',
      reason: 'device-not-supported',
    });
  });

  it('falls back to U2F when a key that claims CBOR answers getInfo with CTAPHID ERR_INVALID_CMD and U2F_VERSION with U2F_V2', async () => {
    const invalidCmd = encodeFrames(RECORDED_CID, CtapHidCmd.ERROR, Uint8Array.of(CtapHidError.INVALID_CMD));
    const { device } = await replay([msgAnswer(toHex(new TextEncoder().encode('U2F_V2')) + '9000')], {
      cbor: [invalidCmd],
    });
    const detected = await detectCtapVersion(device);
    expect(detected.kind).toBe('u2f');
    if (detected.kind === 'u2f') expect(detected.reason).toMatch(/ERR_INVALID_CMD/);
  });

  it('falls back to U2F on CTAP1_ERR_INVALID_COMMAND and on a getInfo that is not a map, on any CtapDevice', async () => {
    const version = concatBytes(new TextEncoder().encode('U2F_V2'), fromHex('9000'));
    expect(await isU2fOnly(new CaptureDevice([Uint8Array.of(0x01), version]))).toBe(true);
    expect(await isU2fOnly(new CaptureDevice([fromHex('0001'), version]))).toBe(true);
  });

  it('throws the getInfo failure when U2F does not answer either', async () => {
    const device = new CaptureDevice([Uint8Array.of(0x01), fromHex('6d00')]);
    const error = await detectCtapVersion(device).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtapError);
    expect((error as CtapError).status).toBe(0x01);
  });

  it('does not take a cancelled getInfo for a U2F key', async () => {
    const controller = new AbortController();
    controller.abort();
    const { device } = await replay([]);
    await expect(detectCtapVersion(device, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('says U2F for an NFC card whose applet answered U2F_V2 and refused getInfo, and Ctap1 works over it', async () => {
    const card = u2fOnlyCard();
    const device = await CtapNfcDevice.open(card);
    const detected = await detectCtapVersion(device);
    expect(detected.kind).toBe('u2f');
    if (detected.kind === 'u2f') expect(await detected.ctap1.getVersion()).toBe('U2F_V2');
  });
});

describe('property: U2F answers', () => {
  const register = payloadOf('WIREDATA_CTAP_U2F_REGISTER').subarray(0, -2);
  const auth = payloadOf('WIREDATA_CTAP_U2F_AUTH').subarray(0, -2);
  const params = { appParam: APP, challengeParam: REGISTER_CHALLENGE };

  it('parses mutated and random registration responses to a registration or a typed error, and verify() to a boolean or a typed error', () => {
    fc.assert(
      fc.property(fc.oneof(mutationsOf(register), fc.uint8Array({ maxLength: 400 })), (bytes) => {
        expectOnlyTypedErrors(() => {
          const reg = parseRegisterResponse(bytes, params);
          expect(typeof reg.verify()).toBe('boolean');
        });
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('parses mutated and random authentication responses to a result or a typed error', () => {
    fc.assert(
      fc.property(
        fc.oneof(mutationsOf(auth), fc.uint8Array({ maxLength: 120 })),
        fc.oneof(mutationsOf(AUTH_PUBLIC_KEY), fc.constant(AUTH_PUBLIC_KEY)),
        (bytes, key) => {
          expectOnlyTypedErrors(() => {
            const parsed = parseAuthenticateResponse(bytes);
            expect(typeof parsed.verify({ appParam: APP, challengeParam: AUTH_CHALLENGE, publicKey: key })).toBe(
              'boolean',
            );
          });
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('gives only typed errors for any MSG answer to version, register and authenticate', async () => {
    const sw = fc.constantFrom('9000', '6985', '6a80', '6d00', '');
    const answer = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      fc
        .tuple(fc.oneof(mutationsOf(register), mutationsOf(auth)), sw)
        .map(([data, s]) => concatBytes(data, fromHex(s))),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 4 }), async (answers) => {
        const ctap1 = new Ctap1(new CaptureDevice(answers), { pollIntervalMs: 1 });
        const opts = { timeoutMs: 20 };
        await expectOnlyTypedErrorsAsync(() => ctap1.getVersion(opts));
        await expectOnlyTypedErrorsAsync(() => ctap1.register(REGISTER_CHALLENGE, APP, opts));
        await expectOnlyTypedErrorsAsync(() => ctap1.authenticate(AUTH_CHALLENGE, APP, fromHex('01'), opts));
        await expectOnlyTypedErrorsAsync(() =>
          ctap1.authenticate(AUTH_CHALLENGE, APP, fromHex('01'), { ...opts, checkOnly: true }),
        );
      }),
      { numRuns: Math.max(20, Math.floor(FUZZ_RUNS / 5)) },
    );
  });
});
