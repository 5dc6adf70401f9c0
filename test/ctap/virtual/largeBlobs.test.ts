import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/ctap/bytes.js';
import { encodeCbor } from '../../../src/ctap/cbor/index.js';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2Cmd } from '../../../src/ctap/ctap2/constants.js';
import { extensionMap, largeBlobKeyInput } from '../../../src/ctap/ctap2/extensions/index.js';
import { LargeBlobs } from '../../../src/ctap/ctap2/LargeBlobs.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { PIN, credentialParams, hash, openKey, setPin, statusOf } from './clients.js';
import { RP_ID, ctap2 as rawCtap2 } from './support.js';

const { PARAM } = LargeBlobs;
const INITIAL = Uint8Array.from(Buffer.from('8076be8b528d0075f7aae98d6fa57a6d3c', 'hex'));

function serialized(body: Uint8Array): Uint8Array {
  return concatBytes(body, createHash('sha256').update(body).digest().subarray(0, 16));
}

describe('large blobs', () => {
  it('starts with the empty array and its hash: 80 76be8b528d0075f7aae98d6fa57a6d3c', async () => {
    const { ctap2 } = await openKey();
    expect(await new LargeBlobs(ctap2).readSerializedArray()).toEqual(INITIAL);
  });

  it.each(['yubikey5', 'yubikeyBio'] as const)(
    'keeps one blob per credential on %s: a round trip with two credentials and their largeBlobKeys',
    async (profile) => {
      const { ctap2 } = await openKey({ profile });
      const clientPin = await setPin(ctap2);
      const keys: Uint8Array[] = [];
      for (const userName of ['alice@example.com', 'bob@example.com']) {
        const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
        const att = await ctap2.makeCredential(
          credentialParams({ rk: true, userName, token, extensions: extensionMap(largeBlobKeyInput()) }),
        );
        expect(att.largeBlobKey).toHaveLength(32);
        keys.push(att.largeBlobKey!);
      }
      const token = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.lbw });
      const blobs = new LargeBlobs(ctap2, token);
      const alice = new TextEncoder().encode('alice: '.repeat(100));
      const bob = new Uint8Array(300).fill(7);
      await blobs.putBlob(keys[0]!, alice);
      await blobs.putBlob(keys[1]!, bob);
      expect(await blobs.getBlob(keys[0]!)).toEqual(alice);
      expect(await blobs.getBlob(keys[1]!)).toEqual(bob);
      expect(await blobs.readArray()).toHaveLength(2);

      // The key returns the largeBlobKey on getAssertion too, so a platform can find the blob later.
      const clientDataHash = hash('blob');
      const uvToken = await clientPin.getPinToken(PIN, { rpId: RP_ID });
      const assertion = await ctap2.getAssertion({
        rpId: RP_ID,
        clientDataHash,
        extensions: extensionMap(largeBlobKeyInput()),
        pinUvAuthToken: uvToken,
      });
      expect(assertion.largeBlobKey).toEqual(keys[1]);
      // That token replaced the lbw one: deleting needs a new one.
      const lbw = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.lbw });
      const again = new LargeBlobs(ctap2, lbw);
      await again.putBlob(keys[1]!, null);
      expect(await again.getBlob(keys[1]!)).toBeUndefined();
      expect(await again.getBlob(keys[0]!)).toEqual(alice);
    },
  );

  it('writes without a token while no PIN is set, and wants an lbw token once one is', async () => {
    const { ctap2 } = await openKey();
    await new LargeBlobs(ctap2).writeArray([1, 2, 3]);
    expect(await new LargeBlobs(ctap2).readArray()).toEqual([1, 2, 3]);
    const clientPin = await setPin(ctap2);
    expect(await statusOf(new LargeBlobs(ctap2).writeArray([4]))).toBe(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
    const cm = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.cm });
    expect(await statusOf(new LargeBlobs(ctap2, cm).writeArray([4]))).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
  });

  it('checks the hash of the whole array on the last fragment (INTEGRITY_FAILURE) and keeps the old array', async () => {
    const { key } = await openKey();
    const body = encodeCbor([new Uint8Array(10)]);
    const broken = concatBytes(body, new Uint8Array(16));
    const answer = await rawCtap2(
      key,
      Ctap2Cmd.LARGE_BLOBS,
      new Map<number, number | Uint8Array>([
        [PARAM.set, broken],
        [PARAM.offset, 0],
        [PARAM.length, broken.length],
      ]),
    );
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_INTEGRITY_FAILURE);
    const read = await rawCtap2(
      key,
      Ctap2Cmd.LARGE_BLOBS,
      new Map([
        [PARAM.get, 100],
        [PARAM.offset, 0],
      ]),
    );
    expect(read.body!.get(LargeBlobs.RESULT.config)).toEqual(INITIAL);
  });

  it('takes fragments only in order, and no more than maxSerializedLargeBlobArray in all', async () => {
    const { key } = await openKey();
    const whole = serialized(encodeCbor([new Uint8Array(200)]));
    const set = (fragment: Uint8Array, offset: number, length?: number) =>
      rawCtap2(
        key,
        Ctap2Cmd.LARGE_BLOBS,
        new Map<number, number | Uint8Array | undefined>([
          [PARAM.set, fragment],
          [PARAM.offset, offset],
          [PARAM.length, length],
        ]),
      );
    expect((await set(whole.subarray(0, 100), 0, whole.length)).status).toBe(CtapStatus.CTAP2_OK);
    expect((await set(whole.subarray(150), 150)).status).toBe(CtapStatus.CTAP1_ERR_INVALID_SEQ);
    expect((await set(whole.subarray(100), 100)).status).toBe(CtapStatus.CTAP2_OK);
    expect((await set(new Uint8Array(17), 0, 1025)).status).toBe(CtapStatus.CTAP2_ERR_LARGE_BLOB_STORAGE_FULL);
    const read = await rawCtap2(
      key,
      Ctap2Cmd.LARGE_BLOBS,
      new Map([
        [PARAM.get, 1000],
        [PARAM.offset, 0],
      ]),
    );
    expect(read.body!.get(LargeBlobs.RESULT.config)).toEqual(whole);
  });

  it('refuses a get larger than maxFragmentLength and a request with both get and set', async () => {
    const { key } = await openKey();
    const tooLarge = await rawCtap2(
      key,
      Ctap2Cmd.LARGE_BLOBS,
      new Map([
        [PARAM.get, 1200 - 63],
        [PARAM.offset, 0],
      ]),
    );
    expect(tooLarge.status).toBe(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    const both = await rawCtap2(
      key,
      Ctap2Cmd.LARGE_BLOBS,
      new Map<number, number | Uint8Array>([
        [PARAM.get, 10],
        [PARAM.set, INITIAL],
        [PARAM.offset, 0],
      ]),
    );
    expect(both.status).toBe(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
  });
});
