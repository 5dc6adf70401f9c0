import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor } from '../../../src/ctap/cbor/index.js';
import { parseAuthenticatorInfo } from '../../../src/ctap/ctap2/info.js';
import { Ctap2Cmd, GetInfoKey, MakeCredentialParam } from '../../../src/ctap/ctap2/constants.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { fromHex } from '../../../src/ctap/bytes.js';
import { ES256, ctap2, fastKey, makeCredential, makeCredentialParams, sha256 } from './support.js';

function withParam(key: number, value: Parameters<typeof encodeCbor>[0] | undefined) {
  const params = makeCredentialParams();
  params.set(key, value);
  return params;
}

describe('CTAP2 request checks', () => {
  it.each([
    ['bytes that are not CBOR', fromHex('a1')],
    ['CBOR with unsorted map keys', fromHex('a202010101')],
    ['an indefinite-length map', fromHex('bf0101ff')],
    ['CBOR followed by trailing bytes', fromHex('a000')],
  ])('answers CTAP2_ERR_INVALID_CBOR for %s', async (_, body) => {
    const answer = await ctap2(fastKey(), Ctap2Cmd.MAKE_CREDENTIAL, body);
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_INVALID_CBOR);
  });

  it('answers CTAP2_ERR_CBOR_UNEXPECTED_TYPE when the parameters are not a map', async () => {
    const answer = await ctap2(fastKey(), Ctap2Cmd.MAKE_CREDENTIAL, encodeCbor([1, 2]));
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
  });

  it.each([
    ['clientDataHash', MakeCredentialParam.clientDataHash],
    ['rp', MakeCredentialParam.rp],
    ['user', MakeCredentialParam.user],
    ['pubKeyCredParams', MakeCredentialParam.pubKeyCredParams],
  ])('answers CTAP2_ERR_MISSING_PARAMETER without %s', async (_, param) => {
    const answer = await ctap2(fastKey(), Ctap2Cmd.MAKE_CREDENTIAL, withParam(param, undefined));
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
  });

  it.each([
    ['clientDataHash as text', MakeCredentialParam.clientDataHash, 'hash'],
    ['rp as an array', MakeCredentialParam.rp, ['latchkey.localhost']],
    ['rp.id as bytes', MakeCredentialParam.rp, { id: Uint8Array.of(1) }],
    ['user.id as text', MakeCredentialParam.user, { id: 'alice' }],
    ['pubKeyCredParams as a map', MakeCredentialParam.pubKeyCredParams, { alg: -7 }],
    ['a pubKeyCredParams alg as text', MakeCredentialParam.pubKeyCredParams, [{ type: 'public-key', alg: 'ES256' }]],
    ['excludeList entries without a map', MakeCredentialParam.excludeList, [Uint8Array.of(1)]],
    ['extensions as an array', MakeCredentialParam.extensions, []],
    ['an option that is not a boolean', MakeCredentialParam.options, { rk: 1 }],
  ])('answers CTAP2_ERR_CBOR_UNEXPECTED_TYPE for %s', async (_, param, value) => {
    const answer = await ctap2(fastKey(), Ctap2Cmd.MAKE_CREDENTIAL, withParam(param, value));
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
  });

  it('answers CTAP2_ERR_MISSING_PARAMETER for a pubKeyCredParams entry without alg, and for rp without id', async () => {
    const noAlg = await ctap2(
      fastKey(),
      Ctap2Cmd.MAKE_CREDENTIAL,
      withParam(MakeCredentialParam.pubKeyCredParams, [{ type: 'public-key' }, ES256]),
    );
    expect(noAlg.status).toBe(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    const noId = await ctap2(
      fastKey(),
      Ctap2Cmd.MAKE_CREDENTIAL,
      withParam(MakeCredentialParam.rp, { name: 'Latchkey' }),
    );
    expect(noId.status).toBe(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
  });

  it('answers CTAP1_ERR_INVALID_LENGTH for a user.id over 64 bytes', async () => {
    const answer = await ctap2(
      fastKey(),
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ userId: new Uint8Array(65) }),
    );
    expect(answer.status).toBe(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
  });

  it('ignores parameters it does not know', async () => {
    const answer = await ctap2(fastKey(), Ctap2Cmd.MAKE_CREDENTIAL, withParam(0x20, 'from the future'));
    expect(answer.status).toBe(CtapStatus.CTAP2_OK);
  });

  it('answers CTAP2_ERR_REQUEST_TOO_LARGE for a request over maxMsgSize (1200 bytes, command byte included)', async () => {
    const key = fastKey();
    // Pads the request with an unknown parameter (ignored by the key) to exactly `total` bytes.
    const sized = (total: number) => {
      const params = makeCredentialParams();
      for (let filler = 0; ;) {
        params.set(0x20, new Uint8Array(filler));
        const size = encodeCbor(params).length + 1;
        if (size === total) return params;
        filler += total - size;
      }
    };
    const atLimit = sized(1200);
    expect(encodeCbor(atLimit).length + 1).toBe(1200);
    expect((await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, atLimit)).status).toBe(CtapStatus.CTAP2_OK);
    const over = sized(1201);
    expect(encodeCbor(over).length + 1).toBe(1201);
    expect((await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, over)).status).toBe(CtapStatus.CTAP2_ERR_REQUEST_TOO_LARGE);
  });

  it('answers CTAP1_ERR_INVALID_COMMAND for a command it does not have', async () => {
    for (const cmd of [0x03, Ctap2Cmd.BIO_ENROLLMENT, Ctap2Cmd.BIO_ENROLLMENT_PRE, 0x3f, 0xff]) {
      expect((await ctap2(fastKey(), cmd)).status).toBe(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
    }
    for (const cmd of [Ctap2Cmd.CLIENT_PIN, Ctap2Cmd.CREDENTIAL_MANAGEMENT, Ctap2Cmd.LARGE_BLOBS, Ctap2Cmd.CONFIG]) {
      expect((await ctap2(fastKey({ profile: 'u2fOnly' }), cmd)).status).toBe(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
    }
    expect((await ctap2(fastKey({ profile: 'ctap20' }), Ctap2Cmd.CREDENTIAL_MANAGEMENT)).status).toBe(
      CtapStatus.CTAP1_ERR_INVALID_COMMAND,
    );
    expect((await ctap2(fastKey({ profile: 'ctap21pre' }), Ctap2Cmd.CREDENTIAL_MANAGEMENT)).status).toBe(
      CtapStatus.CTAP1_ERR_INVALID_COMMAND,
    );
  });

  it('answers CTAP1_ERR_INVALID_LENGTH for an empty request and for parameters to a command that takes none', async () => {
    const key = fastKey();
    const empty = await key.processCtap2(new Uint8Array(0), {
      signal: new AbortController().signal,
      onKeepalive: () => undefined,
    });
    expect(empty).toEqual(Uint8Array.of(CtapStatus.CTAP1_ERR_INVALID_LENGTH));
    expect((await ctap2(key, Ctap2Cmd.GET_INFO, encodeCbor(new Map()))).status).toBe(
      CtapStatus.CTAP1_ERR_INVALID_LENGTH,
    );
  });

  it('answers CTAP1_ERR_OTHER, never a rejection, when something inside fails, and keeps working', async () => {
    const key = fastKey({
      presence: () => {
        throw new Error('the presence handler broke');
      },
    });
    const answer = await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams());
    expect(answer.status).toBe(CtapStatus.CTAP1_ERR_OTHER);
    key.presence = () => Promise.resolve(true);
    await makeCredential(key);
  });

  it('does not keep the caller\u2019s request buffer: changing it after the call changes nothing', async () => {
    const key = fastKey();
    const request = new Uint8Array([
      Ctap2Cmd.MAKE_CREDENTIAL,
      ...encodeCbor(makeCredentialParams({ clientDataHash: sha256('x') })),
    ]);
    const pending = key.processCtap2(request, { signal: new AbortController().signal, onKeepalive: () => undefined });
    request.fill(0);
    expect((await pending)[0]).toBe(CtapStatus.CTAP2_OK);
  });
});

describe('getInfo', () => {
  it('describes the yubikey5 profile in canonical CBOR, with the values a fresh YubiKey 5 reports', async () => {
    const key = fastKey();
    const answer = await key.processCtap2(Uint8Array.of(Ctap2Cmd.GET_INFO), {
      signal: new AbortController().signal,
      onKeepalive: () => undefined,
    });
    expect(answer[0]).toBe(CtapStatus.CTAP2_OK);
    const map = decodeCbor(answer.subarray(1)) as Map<number, unknown>; // strict decoding: canonical or it throws
    expect([...map.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20]);
    const info = parseAuthenticatorInfo(map as never);
    expect(info.versions).toEqual(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1']);
    expect(info.extensions).toEqual(['credProtect', 'hmac-secret', 'largeBlobKey', 'credBlob', 'minPinLength']);
    expect(Buffer.from(info.aaguid).toString('hex')).toBe('ee882879721c491397753dfcce97072a');
    expect(Object.fromEntries(info.options)).toEqual({
      rk: true,
      up: true,
      plat: false,
      clientPin: false,
      credentialMgmtPreview: true,
      largeBlobs: true,
      pinUvAuthToken: true,
      setMinPINLength: true,
      makeCredUvNotRqd: true,
      credMgmt: true,
      authnrCfg: true,
      alwaysUv: false,
    });
    expect(info.pinUvAuthProtocols).toEqual([2, 1]);
    expect(map.get(GetInfoKey.maxSerializedLargeBlobArray)).toBe(1024);
    expect(map.get(GetInfoKey.forcePINChange)).toBe(false);
    expect(map.get(GetInfoKey.minPINLength)).toBe(4);
    expect(map.get(GetInfoKey.maxCredBlobLength)).toBe(32);
    expect(map.get(GetInfoKey.maxRPIDsForSetMinPINLength)).toBe(1);
    expect(info.maxMsgSize).toBe(1200);
    expect(info.maxCredentialCountInList).toBe(8);
    expect(info.maxCredentialIdLength).toBe(128);
    expect(info.transports).toEqual(['nfc', 'usb']);
    expect(info.algorithms).toEqual([
      { type: 'public-key', alg: -7 },
      { type: 'public-key', alg: -8 },
    ]);
    expect(info.firmwareVersion).toBe(0x050403);
    expect(info.remainingDiscoverableCredentials).toBe(25);
  });
});
