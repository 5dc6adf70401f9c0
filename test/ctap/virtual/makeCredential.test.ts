import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../../src/ctap/cbor/index.js';
import { parseAuthenticatorData } from '../../../src/ctap/ctap2/authenticatorData.js';
import {
  AuthDataFlag,
  CoseAlgorithm,
  Ctap2Cmd,
  GetInfoKey,
  MakeCredentialParam,
} from '../../../src/ctap/ctap2/constants.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { VIRTUAL_PROFILES, type PresenceRequest } from '../../../src/ctap/virtual/index.js';
import {
  EDDSA,
  ES256,
  RP_ID,
  ctap2,
  fastKey,
  getAssertionParams,
  makeCredential,
  makeCredentialParams,
  neverTouch,
  sha256,
  verifySignature,
} from './support.js';

const YUBIKEY5_AAGUID = Uint8Array.from(Buffer.from('ee882879721c491397753dfcce97072a', 'hex'));

describe('makeCredential', () => {
  it('makes an ES256 credential with a packed self attestation signed by the credential key', async () => {
    const clientDataHash = sha256('create');
    const answer = await ctap2(fastKey(), Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams({ clientDataHash }));
    expect(answer.status).toBe(CtapStatus.CTAP2_OK);
    const body = answer.body!;
    expect([...body.keys()]).toEqual([1, 2, 3]);
    expect(body.get(1)).toBe('packed');
    const attStmt = body.get(3) as Map<string, unknown>;
    expect([...attStmt.keys()]).toEqual(['alg', 'sig']);
    expect(attStmt.get('alg')).toBe(CoseAlgorithm.ES256);

    // rpIdHash(32) | flags(1) | signCount(4) | aaguid(16) | credIdLen(2) | credId | COSE key, and nothing after.
    const authData = body.get(2) as Uint8Array;
    expect(authData.subarray(0, 32)).toEqual(sha256(RP_ID));
    expect(authData[32]).toBe(AuthDataFlag.UP | AuthDataFlag.AT);
    expect(new DataView(authData.buffer, authData.byteOffset).getUint32(33)).toBe(1);
    expect(authData.subarray(37, 53)).toEqual(YUBIKEY5_AAGUID);
    const idLength = (authData[53]! << 8) | authData[54]!;
    expect(idLength).toBeLessThanOrEqual(VIRTUAL_PROFILES.yubikey5.maxCredentialIdLength);
    const attested = parseAuthenticatorData(authData).attestedCredentialData!;
    expect(attested.credentialId.length).toBe(idLength);
    expect(authData.length).toBe(55 + idLength + attested.publicKeyRaw.length);
    expect(() => decodeCbor(attested.publicKeyRaw)).not.toThrow(); // strict decoding: canonical CBOR
    expect([...attested.publicKey.entries()]).toEqual([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, expect.any(Uint8Array)],
      [-3, expect.any(Uint8Array)],
    ]);

    const sig = attStmt.get('sig') as Uint8Array;
    expect(sig[0]).toBe(0x30); // DER, as WebAuthn wants ES256 signatures
    expect(verifySignature(attested.publicKey, authData, clientDataHash, sig)).toBe(true);
    expect(verifySignature(attested.publicKey, authData, sha256('another challenge'), sig)).toBe(false);
  });

  it('advances the global signature counter with every credential made', async () => {
    const key = fastKey();
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push((await makeCredential(key)).authData.signCount);
    expect(counts).toEqual([1, 2, 3]);
  });

  it('makes an EdDSA credential when EdDSA is the first supported algorithm requested', async () => {
    const key = fastKey();
    const made = await makeCredential(key, { algs: [{ type: 'public-key', alg: -257 }, EDDSA, ES256] });
    expect([...made.publicKey.entries()]).toEqual([
      [1, 1],
      [3, -8],
      [-1, 6],
      [-2, expect.any(Uint8Array)],
    ]);
    const attStmt = made.response.get(3) as Map<string, unknown>;
    expect(attStmt.get('alg')).toBe(CoseAlgorithm.EdDSA);
    const sig = attStmt.get('sig') as Uint8Array;
    expect(sig.length).toBe(64);
    expect(verifySignature(made.publicKey, made.authData.raw, sha256('registration challenge'), sig)).toBe(true);
  });

  it('skips pubKeyCredParams of another type and refuses when no algorithm is supported', async () => {
    const key = fastKey();
    const other = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ algs: [{ type: 'password', alg: -7 }] }),
    );
    expect(other.status).toBe(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM);
    const rsa = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ algs: [{ type: 'public-key', alg: -257 }] }),
    );
    expect(rsa.status).toBe(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM);
  });

  it('answers fmt "none" with an empty attStmt when attestation is none', async () => {
    const made = await makeCredential(fastKey({ attestation: 'none' }));
    expect(made.response.get(1)).toBe('none');
    expect(made.response.get(3)).toEqual(new Map());
  });

  it('wraps non-discoverable credentials into their ID, taking no storage', async () => {
    const key = fastKey();
    const a = await makeCredential(key);
    const b = await makeCredential(key);
    expect(a.id.length).toBe(64);
    expect(a.id).not.toEqual(b.id);
    expect(key.toJSON().credentials).toEqual([]);
    const info = await ctap2(key, Ctap2Cmd.GET_INFO);
    expect(info.body!.get(GetInfoKey.remainingDiscoverableCredentials)).toBe(25);
  });

  it('stores a discoverable credential with rk, replacing the one for the same RP and user', async () => {
    const key = fastKey();
    const first = await makeCredential(key, { rk: true, userId: Uint8Array.of(1) });
    await makeCredential(key, { rk: true, userId: Uint8Array.of(2) });
    const replacement = await makeCredential(key, {
      rk: true,
      userId: Uint8Array.of(1),
      userName: 'alice.new@example.com',
    });
    const stored = key.toJSON().credentials;
    expect(stored.map((c) => c.user.id)).toEqual(['Ag', 'AQ']);
    expect(stored[1]!.user.name).toBe('alice.new@example.com');
    expect(stored[1]!.id).toBe(Buffer.from(replacement.id).toString('base64url'));
    expect(stored.some((c) => c.id === Buffer.from(first.id).toString('base64url'))).toBe(false);
    const replaced = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [first.id] }));
    expect(replaced.status).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    const info = await ctap2(key, Ctap2Cmd.GET_INFO);
    expect(info.body!.get(GetInfoKey.remainingDiscoverableCredentials)).toBe(23);
  });

  it('answers CTAP2_ERR_KEY_STORE_FULL once every discoverable slot is used', async () => {
    const key = fastKey({ profile: { ...VIRTUAL_PROFILES.yubikey5, name: 'tiny', maxDiscoverableCredentials: 2 } });
    await makeCredential(key, { rk: true, userId: Uint8Array.of(1) });
    await makeCredential(key, { rk: true, userId: Uint8Array.of(2) });
    const full = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ rk: true, userId: Uint8Array.of(3) }),
    );
    expect(full.status).toBe(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
    // Replacing an existing user's credential needs no new slot.
    await makeCredential(key, { rk: true, userId: Uint8Array.of(2) });
  });

  it('refuses up:false and uv:true with CTAP2_ERR_INVALID_OPTION, and rk on a key without storage with UNSUPPORTED_OPTION', async () => {
    const key = fastKey();
    const up = await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams({ options: { up: false } }));
    expect(up.status).toBe(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    const uv = await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams({ options: { uv: true } }));
    expect(uv.status).toBe(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    const noRk = fastKey({
      profile: { ...VIRTUAL_PROFILES.yubikey5, name: 'no-rk', options: { rk: false, up: true, plat: false } },
    });
    const rk = await ctap2(noRk, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams({ rk: true }));
    expect(rk.status).toBe(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    const ignored = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ options: { up: true, futureOption: true } }),
    );
    expect(ignored.status).toBe(CtapStatus.CTAP2_OK);
  });

  it('refuses up:true with CTAP2_ERR_INVALID_OPTION on a CTAP 2.0 key, for which up is no makeCredential option', async () => {
    const key = fastKey({ profile: 'ctap20' });
    const up = await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams({ options: { up: true } }));
    expect(up.status).toBe(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    const none = await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams());
    expect(none.status).toBe(CtapStatus.CTAP2_OK);
  });

  it('waits for a touch, then answers CTAP2_ERR_CREDENTIAL_EXCLUDED for one of its own credentials in the excludeList', async () => {
    const key = fastKey();
    const own = await makeCredential(key);
    const requests: PresenceRequest[] = [];
    // Refusing the touch changes nothing: the answer is the same, so it reveals nothing either way.
    key.presence = (req) => (requests.push(req), Promise.resolve(false));
    const answer = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ excludeList: [Uint8Array.of(9, 9, 9), own.id] }),
    );
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
    expect(requests.map((r) => [r.command, r.rpId])).toEqual([['makeCredential', RP_ID]]);
    expect(answer.keepalives.every((s) => s === 2)).toBe(true);
  });

  it('answers CREDENTIAL_EXCLUDED for an excluded discoverable credential even when the touch never comes', async () => {
    const key = fastKey({ userActionTimeoutMs: 50 });
    const own = await makeCredential(key, { rk: true });
    key.presence = neverTouch;
    const answer = await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams({ excludeList: [own.id] }));
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
  });

  it('does not exclude credentials of another RP, unknown IDs or IDs of another key', async () => {
    const key = fastKey();
    const otherRp = await makeCredential(key, { rpId: 'example.org' });
    const otherKey = await makeCredential(fastKey());
    const answer = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ excludeList: [otherRp.id, otherKey.id, new Uint8Array(62)] }),
    );
    expect(answer.status).toBe(CtapStatus.CTAP2_OK);
  });

  it('asks for a touch for makeCredential with the RP id, and answers OPERATION_DENIED when refused', async () => {
    const requests: PresenceRequest[] = [];
    const key = fastKey({ presence: (req) => (requests.push(req), Promise.resolve({ approve: false })) });
    const answer = await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams());
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ command: 'makeCredential', rpId: RP_ID });
  });

  it('handles pinUvAuthParam without a PIN: a zero-length one after a touch is PIN_NOT_SET, others fail their checks', async () => {
    const key = fastKey();
    const empty = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ extra: [[MakeCredentialParam.pinUvAuthParam, new Uint8Array(0)]] }),
    );
    expect(empty.status).toBe(CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    const noProtocol = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ extra: [[MakeCredentialParam.pinUvAuthParam, new Uint8Array(32)]] }),
    );
    expect(noProtocol.status).toBe(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    const unsupported = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({
        extra: [
          [MakeCredentialParam.pinUvAuthParam, new Uint8Array(32)],
          [MakeCredentialParam.pinUvAuthProtocol, 3],
        ],
      }),
    );
    expect(unsupported.status).toBe(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    const noPin = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({
        extra: [
          [MakeCredentialParam.pinUvAuthParam, new Uint8Array(32)],
          [MakeCredentialParam.pinUvAuthProtocol, 2],
        ],
      }),
    );
    expect(noPin.status).toBe(CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    key.presence = () => Promise.resolve(false);
    const refused = await ctap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ extra: [[MakeCredentialParam.pinUvAuthParam, new Uint8Array(0)]] }),
    );
    expect(refused.status).toBe(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
  });

  it('refuses enterpriseAttestation with CTAP1_ERR_INVALID_PARAMETER on a key without it', async () => {
    const answer = await ctap2(
      fastKey(),
      Ctap2Cmd.MAKE_CREDENTIAL,
      makeCredentialParams({ extra: [[MakeCredentialParam.enterpriseAttestation, 1]] }),
    );
    expect(answer.status).toBe(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
  });

  it('ignores unknown extensions and leaves the ED flag clear', async () => {
    const made = await makeCredential(fastKey(), { extra: [[MakeCredentialParam.extensions, { 'future-ext': true }]] });
    expect(made.authData.flags.ed).toBe(false);
    expect(made.authData.extensions).toBeUndefined();
  });
});
