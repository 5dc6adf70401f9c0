// LargeBlobs: the recorded YubiKey array opened with libfido2's key, fragmented reads and writes with exact pinUvAuthParams, corrupt arrays, per-credential round trips, property tests.

import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../../src/ctap/cbor/decode.js';
import { encodeCbor, type CborInput } from '../../../src/ctap/cbor/encode.js';
import type { CborMap, CborValue } from '../../../src/ctap/cbor/types.js';
import { concatBytes, fromHex, toHex } from '../../../src/ctap/bytes.js';
import { ClientPin, PinUvAuthToken } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import type { LargeBlobsInfo } from '../../../src/ctap/ctap2/LargeBlobs.js';
import { LargeBlobs } from '../../../src/ctap/ctap2/LargeBlobs.js';
import { PinUvAuthProtocolV2 } from '../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { ClientError, CtapError, ProtocolError } from '../../../src/ctap/errors.js';
import type { CallOptions } from '../../../src/ctap/transport.js';
import { CaptureDevice } from '../../support/captureDevice.js';
import { minimalInfo } from '../../support/minimalInfo.js';
import { FUZZ_RUNS, expectOnlyTypedErrors, expectOnlyTypedErrorsAsync, mutationsOf } from '../../support/fuzz.js';
import { onRecordedChannel, recordedMessages, replayDevice } from '../../support/replayHid.js';
import { recordedReports } from '../../support/wiredata.js';

/** libfido2's fuzz/fuzz_largeblob.c dummy_key: the largeBlobKey the recorded array's entry was sealed with. */
const LIBFIDO2_DUMMY_KEY = fromHex('a91bc4ddfc9a937975baf77f4d57fca6e1f8064323995132ce6e198450132d7b');
const TOKEN = '0125fecfd8bf3f679bd9ec221324baa74f3cade0314b4fba8029500a320612ad';
/** The serialized array of a new key: an empty CBOR array and LEFT(SHA-256(h'80'), 16) (section 6.10). */
const INITIAL_ARRAY = '8076be8b528d0075f7aae98d6fa57a6d3c';
const FF32 = 'ff'.repeat(32);

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());
const hmac = (message: Uint8Array): string => createHmac('sha256', fromHex(TOKEN)).update(message).digest('hex');
const token = (): PinUvAuthToken =>
  new PinUvAuthToken(new PinUvAuthProtocolV2(), fromHex(TOKEN), ClientPin.PERMISSION.lbw, undefined, false);
const u32le = (n: number): string => toHex(Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24));

/** "blob" || origSize as a little-endian uint64: the AES-GCM associated data of a large-blob entry. */
function blobAd(origSize: number): Uint8Array {
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(origSize));
  return concatBytes(new TextEncoder().encode('blob'), size);
}

function info(maxMsgSize = 1536, maxSerializedLargeBlobArray = 4096): LargeBlobsInfo {
  return { options: new Map([['largeBlobs', true]]), maxMsgSize, maxSerializedLargeBlobArray };
}

/** An answer carrying one fragment: status 00, {1: fragment}. */
function fragmentAnswer(fragment: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(0), encodeCbor(new Map([[1, fragment]])));
}

function serialize(entries: readonly CborInput[]): Uint8Array {
  const body = encodeCbor(entries);
  return concatBytes(body, sha256(body).subarray(0, 16));
}

async function captured(answers: Uint8Array[], lbInfo = info(), withToken = true) {
  const device = new CaptureDevice(answers);
  const ctap2 = await Ctap2.create(device, { info: minimalInfo() });
  return {
    device,
    blobs: new LargeBlobs({ info: lbInfo, send: ctap2.send.bind(ctap2) }, withToken ? token() : undefined),
  };
}

/** A key that stores the serialized array and follows section 6.10's get and set rules (no PIN: writes unsigned are fine). */
class ArrayKey {
  stored: Uint8Array = fromHex(INITIAL_ARRAY);
  writes = 0;
  private pending: { length: number; parts: Uint8Array[] } | undefined;

  constructor(
    readonly info: LargeBlobsInfo = {
      options: new Map([['largeBlobs', true]]),
      maxMsgSize: 1024,
      maxSerializedLargeBlobArray: 4096,
    },
  ) {}

  async send(cmd: number, params?: ReadonlyMap<number, CborInput | undefined>, _opts?: CallOptions): Promise<CborMap> {
    expect(cmd).toBe(0x0c);
    const get = params?.get(1) as number | undefined;
    const offset = params?.get(3) as number;
    if (get !== undefined) return new Map([[1, this.stored.slice(offset, offset + get)]]);
    const fragment = params?.get(2) as Uint8Array;
    if (offset === 0) this.pending = { length: params?.get(4) as number, parts: [] };
    this.pending!.parts.push(fragment);
    const written = concatBytes(...this.pending!.parts);
    if (written.length === this.pending!.length) {
      const body = written.subarray(0, written.length - 16);
      if (toHex(sha256(body).subarray(0, 16)) !== toHex(written.subarray(body.length)))
        throw new CtapError(CtapStatus.CTAP2_ERR_INTEGRITY_FAILURE);
      this.stored = written;
      this.writes++;
    }
    return new Map();
  }
}

describe('LargeBlobs replaying a YubiKey 5 (libfido2 recording)', () => {
  async function open(copies: number) {
    const answer = onRecordedChannel(recordedReports('WIREDATA_CTAP_CBOR_LARGEBLOB_GET_ARRAY'));
    const { device, conn } = await replayDevice(
      recordedReports('WIREDATA_CTAP_CBOR_INFO'),
      ...Array.from({ length: copies }, () => answer),
    );
    return { conn, blobs: new LargeBlobs(await Ctap2.create(device)) };
  }

  it('reads the 480-byte array in one get of maxMsgSize - 64 = 1472 bytes, and its hash checks out', async () => {
    const { conn, blobs } = await open(1);
    expect(blobs.maxFragmentLength).toBe(1472);
    const entries = await blobs.readArray();
    expect(entries).toHaveLength(1);
    const entry = entries[0] as CborMap;
    expect((entry.get(1) as Uint8Array).length).toBe(440);
    expect(toHex(entry.get(2) as Uint8Array)).toBe('de312a32585ba3238e2aa6af');
    expect(entry.get(3)).toBe(634);
    // CBOR, 8 bytes: 0x0c {1: 1472, 3: 0}
    expect(toHex(conn.written[2]!.subarray(4, 7 + 8))).toBe('900008' + '0ca2011905c00300');
  });

  it('opens the recorded entry with libfido2\u2019s dummy key (zlib-wrapped, as older libfido2 wrote) and not with another key', async () => {
    const { blobs } = await open(2);
    const blob = await blobs.getBlob(LIBFIDO2_DUMMY_KEY);
    expect(blob?.length).toBe(634);
    expect(new TextDecoder().decode(blob!.subarray(0, 32))).toBe('ssh-ed25519-cert-v01@openssh.com');
    expect(await blobs.getBlob(new Uint8Array(32).fill(7))).toBeUndefined();
  });
});

describe('LargeBlobs reading', () => {
  it('reads the initial serialized array (0x80 and its hash) as no entries', async () => {
    const { blobs } = await captured([fragmentAnswer(fromHex(INITIAL_ARRAY))]);
    expect(await blobs.readArray()).toEqual([]);
  });

  it('reads an array longer than one fragment with gets at offsets 0 and 960', async () => {
    const serialized = serialize([
      new Map<number, CborInput>([
        [1, new Uint8Array(1200).fill(0xab)],
        [2, new Uint8Array(12)],
        [3, 1],
      ]),
    ]);
    const { device, blobs } = await captured(
      [fragmentAnswer(serialized.subarray(0, 960)), fragmentAnswer(serialized.subarray(960))],
      info(1024),
    );
    const entries = await blobs.readArray();
    expect(entries).toHaveLength(1);
    expect(device.requests.map((r) => toHex(r.payload))).toEqual(['0ca2011903c00300', '0ca2011903c0031903c0']);
  });

  it('asks once more when the array ends exactly on a fragment boundary, and takes the empty answer as the end', async () => {
    const serialized = serialize([new Uint8Array(960 - 3 - 16 - 1)]);
    expect(serialized.length).toBe(960);
    const { device, blobs } = await captured(
      [fragmentAnswer(serialized), fragmentAnswer(new Uint8Array(0))],
      info(1024),
    );
    expect(await blobs.readArray()).toHaveLength(1);
    expect(device.requests).toHaveLength(2);
  });

  it('treats a hash mismatch as a ProtocolError in readArray, and as the initial array in getBlob (spec 6.10.2)', async () => {
    const corrupt = fromHex(INITIAL_ARRAY);
    corrupt[5]! ^= 1;
    await expect((await captured([fragmentAnswer(corrupt)])).blobs.readArray()).rejects.toThrow(
      /corrupt: its trailing SHA-256 does not match/,
    );
    expect(await (await captured([fragmentAnswer(corrupt)])).blobs.getBlob(LIBFIDO2_DUMMY_KEY)).toBeUndefined();
    await expect((await captured([fragmentAnswer(new Uint8Array(16))])).blobs.readArray()).rejects.toThrow(
      /shorter than the 17/,
    );
  });

  it('refuses a fragment longer than asked for and an array beyond maxSerializedLargeBlobArray', async () => {
    await expect((await captured([fragmentAnswer(new Uint8Array(1473))])).blobs.readSerializedArray()).rejects.toThrow(
      /1473 bytes, more than the 1472/,
    );
    const full = fragmentAnswer(new Uint8Array(960));
    await expect((await captured([full, full], info(1024, 1024))).blobs.readSerializedArray()).rejects.toThrow(
      /more than 1024 bytes/,
    );
  });

  it('refuses an array whose hash matches but whose content is not a CBOR array', async () => {
    const body = fromHex('a0');
    await expect(
      (await captured([fragmentAnswer(concatBytes(body, sha256(body).subarray(0, 16)))])).blobs.readArray(),
    ).rejects.toThrow(/is a map, expected a CBOR array/);
  });

  it('names the field when the answer lacks config', async () => {
    await expect((await captured([fromHex('00a10201')])).blobs.readArray()).rejects.toThrow(
      /largeBlobs response field 0x01 is missing/,
    );
  });
});

describe('LargeBlobs writing (fixed token)', () => {
  it('writes the initial array in one fragment with length 17 and pinUvAuthParam over 0xff x 32 || 0c 00 || offset || SHA-256(fragment)', async () => {
    const { device, blobs } = await captured([fromHex('00')]);
    await blobs.writeArray([]);
    const fragment = fromHex(INITIAL_ARRAY);
    const mac = hmac(fromHex(FF32 + '0c00' + u32le(0) + toHex(sha256(fragment))));
    expect(toHex(device.requests[0]!.payload)).toBe(`0ca50251${INITIAL_ARRAY}03000411055820${mac}0602`);
  });

  it('splits a write at maxMsgSize - 64 bytes, sends length only first, and signs each fragment with its offset', async () => {
    const entries = [
      new Map<number, CborInput>([
        [1, new Uint8Array(1100).fill(0xab)],
        [2, new Uint8Array(12)],
        [3, 1],
      ]),
    ];
    const serialized = serialize(entries);
    const { device, blobs } = await captured([fromHex('00'), fromHex('00')], info(1024));
    await blobs.writeArray(entries);
    expect(device.requests).toHaveLength(2);
    expect(serialized.length - 960).toBeLessThan(256);
    const first = serialized.subarray(0, 960);
    const second = serialized.subarray(960);
    const mac0 = hmac(fromHex(FF32 + '0c00' + u32le(0) + toHex(sha256(first))));
    const mac1 = hmac(fromHex(FF32 + '0c00' + u32le(960) + toHex(sha256(second))));
    const len = serialized.length.toString(16).padStart(4, '0');
    expect(toHex(device.requests[0]!.payload)).toBe(`0ca5025903c0${toHex(first)}03000419${len}055820${mac0}0602`);
    expect(toHex(device.requests[1]!.payload)).toBe(
      `0ca40258${second.length.toString(16)}${toHex(second)}031903c0055820${mac1}0602`,
    );
  });

  it('writes without pinUvAuthParam when given no token', async () => {
    const { device, blobs } = await captured([fromHex('00')], info(), false);
    await blobs.writeArray([]);
    expect(toHex(device.requests[0]!.payload)).toBe(`0ca30251${INITIAL_ARRAY}03000411`);
  });

  it('refuses an array beyond maxSerializedLargeBlobArray before sending', async () => {
    const { device, blobs } = await captured([], info(1536, 1024));
    await expect(blobs.writeArray([new Uint8Array(1024)])).rejects.toMatchObject({ reason: 'request-too-large' });
    expect(device.requests).toHaveLength(0);
  });

  it('passes the key\u2019s refusal of a write through', async () => {
    const { blobs } = await captured([fromHex('3d')]);
    await expect(blobs.writeArray([])).rejects.toMatchObject({ status: CtapStatus.CTAP2_ERR_INTEGRITY_FAILURE });
  });
});

describe('LargeBlobs per-credential blobs', () => {
  it('seals with raw DEFLATE and AES-256-GCM, associated data "blob" || uint64 LE origSize', () => {
    const key = new Uint8Array(randomBytes(32));
    const nonce = fromHex('000102030405060708090a0b');
    const data = new TextEncoder().encode('otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP'.repeat(3));
    const entry = LargeBlobs.sealEntry(key, data, { nonce });
    expect(entry.get(3)).toBe(data.length);
    expect(toHex(entry.get(2) as Uint8Array)).toBe(toHex(nonce));
    const sealed = entry.get(1) as Uint8Array;
    const decipher = createDecipheriv('aes-256-gcm', key, nonce)
      .setAAD(blobAd(data.length))
      .setAuthTag(sealed.subarray(-16));
    const compressed = Buffer.concat([decipher.update(sealed.subarray(0, -16)), decipher.final()]);
    // Raw DEFLATE: no zlib header (0x78 ..), inflateRawSync reads it directly.
    expect(compressed[0]).not.toBe(0x78);
    expect(inflateRawSync(compressed).toString()).toBe(new TextDecoder().decode(data));
    expect(compressed.length).toBeLessThan(data.length);
    expect(LargeBlobs.openEntry(key, entry)).toEqual(data);
  });

  it('round-trips blobs of two credentials, keeps the other and foreign entries, and deletes one', async () => {
    const key = new ArrayKey();
    const recorded = recordedMessages('WIREDATA_CTAP_CBOR_LARGEBLOB_GET_ARRAY')[0]!;
    key.stored = (decodeCbor(recorded.subarray(1)) as CborMap).get(1) as Uint8Array;
    const blobs = new LargeBlobs(key);
    const alice = new Uint8Array(randomBytes(32));
    const bob = new Uint8Array(randomBytes(32));
    const vault = new TextEncoder().encode('vault key slot for alice');
    await blobs.putBlob(alice, vault);
    await blobs.putBlob(bob, new Uint8Array(700).fill(0x42));
    await blobs.putBlob(alice, new TextEncoder().encode('replaced'));
    expect(new TextDecoder().decode(await blobs.getBlob(alice))).toBe('replaced');
    expect(await blobs.getBlob(bob)).toEqual(new Uint8Array(700).fill(0x42));
    expect((await blobs.getBlob(LIBFIDO2_DUMMY_KEY))?.length).toBe(634);
    expect(await blobs.readArray()).toHaveLength(3);
    await blobs.putBlob(alice, null);
    expect(await blobs.getBlob(alice)).toBeUndefined();
    expect(await blobs.getBlob(bob)).toBeDefined();
    const writes = key.writes;
    await blobs.putBlob(alice, null);
    expect(key.writes).toBe(writes);
  });

  it('replaces a corrupt array when writing, as the spec says to act as if it were the initial one', async () => {
    const key = new ArrayKey();
    key.stored = fromHex('81a0' + '00'.repeat(16));
    const blobs = new LargeBlobs(key);
    await blobs.putBlob(LIBFIDO2_DUMMY_KEY, Uint8Array.of(1, 2, 3));
    expect(await blobs.getBlob(LIBFIDO2_DUMMY_KEY)).toEqual(Uint8Array.of(1, 2, 3));
    expect(await blobs.readArray()).toHaveLength(1);
  });

  it('refuses a blob that does not fit the key, and a key that is not 32 bytes', async () => {
    const blobs = new LargeBlobs(new ArrayKey());
    await expect(blobs.putBlob(LIBFIDO2_DUMMY_KEY, new Uint8Array(randomBytes(5000)))).rejects.toMatchObject({
      reason: 'request-too-large',
    });
    await expect(blobs.getBlob(new Uint8Array(16))).rejects.toBeInstanceOf(ClientError);
    expect(() => LargeBlobs.sealEntry(LIBFIDO2_DUMMY_KEY, Uint8Array.of(1), { nonce: new Uint8Array(8) })).toThrow(
      /12 bytes/,
    );
  });

  it('reports an entry that opens with the key but does not inflate to origSize as a ProtocolError', () => {
    // 'hello' sealed with a correct tag but an origSize of 6: origSize is in the associated data, so seal it by hand.
    const nonce = new Uint8Array(12);
    const cipher = createCipheriv('aes-256-gcm', LIBFIDO2_DUMMY_KEY, nonce).setAAD(blobAd(6));
    const sealed = concatBytes(cipher.update(deflateRawSync('hello')), cipher.final(), cipher.getAuthTag());
    const lying = new Map<number, CborInput>([
      [1, sealed],
      [2, nonce],
      [3, 6],
    ]);
    expect(() => LargeBlobs.openEntry(LIBFIDO2_DUMMY_KEY, lying)).toThrow(ProtocolError);
    expect(() => LargeBlobs.openEntry(LIBFIDO2_DUMMY_KEY, lying)).toThrow(/origSize of 6/);
  });

  it('skips entries that are not large-blob maps', () => {
    for (const entry of [
      null,
      1,
      'x',
      new Uint8Array(3),
      [],
      new Map(),
      new Map<number, unknown>([
        [1, new Uint8Array(8)],
        [2, new Uint8Array(12)],
        [3, 1],
      ]),
    ]) {
      expect(LargeBlobs.openEntry(LIBFIDO2_DUMMY_KEY, entry as never)).toBeUndefined();
    }
  });

  it('is supported with largeBlobs true only, and refuses keys without it', () => {
    expect(LargeBlobs.isSupported(info())).toBe(true);
    expect(LargeBlobs.isSupported({ options: new Map([['largeBlobs', false]]), maxMsgSize: 1024 })).toBe(false);
    expect(() => new LargeBlobs(new ArrayKey({ options: new Map(), maxMsgSize: 1024 }))).toThrow(ClientError);
    expect(
      () =>
        new LargeBlobs(new ArrayKey({ options: new Map([['largeBlobs', true]]), maxMsgSize: 64 })).maxFragmentLength,
    ).toThrow(ClientError);
  });
});

describe('LargeBlobs property tests', () => {
  const recorded = recordedMessages('WIREDATA_CTAP_CBOR_LARGEBLOB_GET_ARRAY')[0]!;

  it('readArray and getBlob fail only with typed errors on mutated recorded answers', async () => {
    await fc.assert(
      fc.asyncProperty(mutationsOf(recorded), async (answer) => {
        await expectOnlyTypedErrorsAsync(async () => (await captured([answer])).blobs.readArray());
        await expectOnlyTypedErrorsAsync(async () => (await captured([answer])).blobs.getBlob(LIBFIDO2_DUMMY_KEY));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('openEntry returns undefined or throws a typed error on mutated entries and random values', () => {
    const entry = LargeBlobs.sealEntry(LIBFIDO2_DUMMY_KEY, new TextEncoder().encode('a blob to mutate'));
    fc.assert(
      fc.property(mutationsOf(encodeCbor(entry)), fc.uint8Array({ maxLength: 60 }), (mutated, random) => {
        for (const bytes of [mutated, random]) {
          let value: CborValue;
          try {
            value = decodeCbor(bytes, { lenient: true });
          } catch {
            continue;
          }
          expectOnlyTypedErrors(() => LargeBlobs.openEntry(LIBFIDO2_DUMMY_KEY, value));
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
