import { describe, expect, it } from 'vitest';
import { Ctap2Cmd } from '../../../src/ctap/ctap2/constants.js';
import { CtapStatus } from '../../../src/ctap/ctap2/status.js';
import { VirtualAuthenticator, VIRTUAL_PROFILES, type VirtualAuthenticatorState } from '../../../src/ctap/virtual/index.js';
import { EDDSA, ctap2, fastKey, getAssertionParams, makeCredential, sha256, verifySignature } from './support.js';

describe('state JSON', () => {
  it('lets a credential made before toJSON() sign after new VirtualAuthenticator({ state })', async () => {
    const before = fastKey();
    const wrapped = await makeCredential(before);
    const resident = await makeCredential(before, { rk: true, algs: [EDDSA], userId: Uint8Array.of(5) });
    const state = JSON.parse(JSON.stringify(before.toJSON())) as VirtualAuthenticatorState;

    const after = new VirtualAuthenticator({ state });
    expect(after.profile.name).toBe('yubikey5');
    const clientDataHash = sha256('after restart');
    const viaAllowList = await ctap2(after, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [wrapped.id], clientDataHash }));
    expect(viaAllowList.status).toBe(CtapStatus.CTAP2_OK);
    const authData = viaAllowList.body!.get(2) as Uint8Array;
    expect(verifySignature(wrapped.publicKey, authData, clientDataHash, viaAllowList.body!.get(3) as Uint8Array)).toBe(true);
    // The counter carries on from where the old instance left it (two credentials made: 2).
    expect(new DataView(authData.buffer, authData.byteOffset).getUint32(33)).toBe(3);

    const discoverable = await ctap2(after, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ clientDataHash }));
    expect(discoverable.body!.get(1)).toEqual(new Map<string, unknown>([['id', resident.id], ['type', 'public-key']]));
    expect(discoverable.body!.get(4)).toEqual(new Map([['id', Uint8Array.of(5)]]));
    expect(verifySignature(resident.publicKey, discoverable.body!.get(2) as Uint8Array, clientDataHash, discoverable.body!.get(3) as Uint8Array)).toBe(true);
  });

  it('is plain JSON with base64url bytes, keeping AAGUID, profile, counter and the users of discoverable credentials', async () => {
    const key = fastKey();
    await makeCredential(key, { rk: true, userName: 'bob@example.com' });
    const state = key.toJSON();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state).toMatchObject({
      format: 'latchkey-virtual-authenticator',
      version: 1,
      profile: 'yubikey5',
      aaguid: VIRTUAL_PROFILES.yubikey5.aaguid,
      signCount: 1,
    });
    expect(state.masterSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(state.credentials).toEqual([
      {
        id: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
        rpId: 'latchkey.localhost',
        rpName: 'Latchkey',
        user: { id: 'AQIDBA', name: 'bob@example.com', displayName: 'Alice' },
        alg: -7,
        privateKey: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      },
    ]);
    expect(new VirtualAuthenticator({ state }).toJSON()).toEqual(state);
  });

  it('does not let one key use another key\u2019s credential IDs', async () => {
    const a = fastKey();
    const made = await makeCredential(a);
    const b = fastKey();
    expect((await ctap2(b, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [made.id] }))).status).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
  });

  it('refuses state of another format, and an unknown profile name', () => {
    const state = fastKey().toJSON();
    expect(() => new VirtualAuthenticator({ state: { ...state, version: 2 as 1 } })).toThrow(TypeError);
    expect(() => new VirtualAuthenticator({ state: { ...state, masterSecret: 'AAAA' } })).toThrow(/32/);
    expect(() => new VirtualAuthenticator({ state: { ...state, profile: 'nokey9' } })).toThrow(/unknown virtual authenticator profile/);
    expect(() => new VirtualAuthenticator({ keepaliveIntervalMs: 0 })).toThrow(RangeError);
  });
});
