import { describe, expect, it } from 'vitest';
import { Ctap2Cmd } from '../../../src/ctap/ctap2/constants.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import {
  VirtualAuthenticator,
  VIRTUAL_PROFILES,
  type VirtualAuthenticatorState,
} from '../../../src/ctap/virtual/index.js';
import { AuthenticatorConfig } from '../../../src/ctap/ctap2/AuthenticatorConfig.js';
import { BioEnrollment } from '../../../src/ctap/ctap2/BioEnrollment.js';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { credProtectInput, extensionMap, largeBlobKeyInput } from '../../../src/ctap/ctap2/extensions/index.js';
import { LargeBlobs } from '../../../src/ctap/ctap2/LargeBlobs.js';
import { PIN, credentialParams, openKey, setPin, statusOf } from './clients.js';
import {
  EDDSA,
  RP_ID,
  ctap2,
  fastKey,
  getAssertionParams,
  makeCredential,
  sha256,
  verifySignature,
} from './support.js';

describe('state JSON', () => {
  it('lets a credential made before toJSON() sign after new VirtualAuthenticator({ state })', async () => {
    const before = fastKey();
    const wrapped = await makeCredential(before);
    const resident = await makeCredential(before, { rk: true, algs: [EDDSA], userId: Uint8Array.of(5) });
    const state = JSON.parse(JSON.stringify(before.toJSON())) as VirtualAuthenticatorState;

    const after = new VirtualAuthenticator({ state });
    expect(after.profile.name).toBe('yubikey5');
    const clientDataHash = sha256('after restart');
    const viaAllowList = await ctap2(
      after,
      Ctap2Cmd.GET_ASSERTION,
      getAssertionParams({ allowList: [wrapped.id], clientDataHash }),
    );
    expect(viaAllowList.status).toBe(CtapStatus.CTAP2_OK);
    const authData = viaAllowList.body!.get(2) as Uint8Array;
    expect(verifySignature(wrapped.publicKey, authData, clientDataHash, viaAllowList.body!.get(3) as Uint8Array)).toBe(
      true,
    );
    // The counter carries on from where the old instance left it (two credentials made: 2).
    expect(new DataView(authData.buffer, authData.byteOffset).getUint32(33)).toBe(3);

    const discoverable = await ctap2(after, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ clientDataHash }));
    expect(discoverable.body!.get(1)).toEqual(
      new Map<string, unknown>([
        ['id', resident.id],
        ['type', 'public-key'],
      ]),
    );
    expect(discoverable.body!.get(4)).toEqual(new Map([['id', Uint8Array.of(5)]]));
    expect(
      verifySignature(
        resident.publicKey,
        discoverable.body!.get(2) as Uint8Array,
        clientDataHash,
        discoverable.body!.get(3) as Uint8Array,
      ),
    ).toBe(true);
  });

  it('is plain JSON with base64url bytes, keeping AAGUID, profile, counter and the users of discoverable credentials', async () => {
    const key = fastKey();
    await makeCredential(key, { rk: true, userName: 'bob@example.com' });
    const state = key.toJSON();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state).toMatchObject({
      format: 'latchkey-virtual-authenticator',
      version: 2,
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
    expect((await ctap2(b, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [made.id] }))).status).toBe(
      CtapStatus.CTAP2_ERR_NO_CREDENTIALS,
    );
  });

  it('refuses state of another format, and an unknown profile name', () => {
    const state = fastKey().toJSON();
    expect(() => new VirtualAuthenticator({ state: { ...state, version: 3 as 2 } })).toThrow(TypeError);
    expect(() => new VirtualAuthenticator({ state: { ...state, masterSecret: 'AAAA' } })).toThrow(/32/);
    expect(() => new VirtualAuthenticator({ state: { ...state, profile: 'nokey9' } })).toThrow(
      /unknown virtual authenticator profile/,
    );
    expect(() => new VirtualAuthenticator({ keepaliveIntervalMs: 0 })).toThrow(RangeError);
  });
});

describe('state JSON with the CTAP 2.1 features', () => {
  it('keeps the PIN, its retries, fingerprints, settings, large blobs and credential extensions across a restart', async () => {
    const { key, ctap2: client } = await openKey({ profile: 'yubikeyBio' });
    const clientPin = await setPin(client);
    await statusOf(clientPin.getPinToken('9999'));
    const bioToken = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.be });
    key.presence = () => Promise.resolve({ approve: true, finger: 'right-index' });
    const templateId = await new BioEnrollment(client, bioToken).enroll();
    const acfg = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.acfg });
    await new AuthenticatorConfig(client, acfg).setMinPinLength({ newMinPINLength: 4, minPinLengthRPIDs: [RP_ID] });
    await statusOf(clientPin.getPinToken('9999'));
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    const made = await client.makeCredential(
      credentialParams({
        rk: true,
        token,
        extensions: extensionMap(largeBlobKeyInput(), credProtectInput({ info: client.info, policy: 2 })),
      }),
    );
    const lbw = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.lbw });
    await new LargeBlobs(client, lbw).putBlob(made.largeBlobKey!, Uint8Array.of(1, 2, 3));
    await statusOf(clientPin.getPinToken('9999'));

    const state = JSON.parse(JSON.stringify(key.toJSON())) as VirtualAuthenticatorState;
    expect(state).toMatchObject({
      version: 2,
      pinRetries: 7,
      uvRetries: 8,
      minPinLengthRpIds: [RP_ID],
      fingerprints: [{ finger: 'right-index' }],
    });
    expect(state.credentials[0]).toMatchObject({ credProtect: 2, largeBlobKey: expect.any(String) });
    expect(new VirtualAuthenticator({ state }).toJSON()).toEqual(state);

    const after = await openKey({ state, presence: () => Promise.resolve({ approve: true, finger: 'right-index' }) });
    const afterPin = new ClientPin(after.ctap2);
    expect((await afterPin.getPinRetries()).retries).toBe(7);
    expect(after.ctap2.info.options.get('clientPin')).toBe(true);
    expect(after.ctap2.info.options.get('uv')).toBe(true);
    const afterBio = new BioEnrollment(
      after.ctap2,
      await afterPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.be }),
    );
    expect(await afterBio.enumerateEnrollments()).toEqual([{ templateId }]);
    expect(await new LargeBlobs(after.ctap2).getBlob(made.largeBlobKey!)).toEqual(Uint8Array.of(1, 2, 3));
    expect(await statusOf(afterPin.getUvToken({ permissions: ClientPin.PERMISSION.ga, rpId: RP_ID }))).toBe(0);
  });

  it('loads a version 1 state (before PINs) with factory settings', () => {
    const v1 = { ...fastKey().toJSON(), version: 1 } as VirtualAuthenticatorState;
    for (const field of [
      'pin',
      'pinRetries',
      'uvRetries',
      'forcePinChange',
      'minPinLength',
      'minPinLengthRpIds',
      'alwaysUv',
      'enterpriseAttestation',
      'fingerprints',
      'largeBlobArray',
    ] as const) {
      delete v1[field];
    }
    expect(new VirtualAuthenticator({ state: v1 }).toJSON()).toMatchObject({
      version: 2,
      pinRetries: 8,
      minPinLength: 4,
      largeBlobArray: 'gHa-i1KNAHX3qumNb6V6bTw',
    });
  });

  it('forgets the PIN, fingerprints, blobs and settings at authenticatorReset', async () => {
    const { key, ctap2: client } = await openKey();
    await setPin(client);
    expect((await ctap2(key, Ctap2Cmd.RESET)).status).toBe(CtapStatus.CTAP2_OK);
    expect(key.toJSON()).toMatchObject({ pinRetries: 8, fingerprints: [], alwaysUv: false });
    expect(key.toJSON().pin).toBeUndefined();
    expect((await client.getInfo()).options.get('clientPin')).toBe(false);
  });
});
