import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/ctap/bytes.js';
import { encodeCbor } from '../../../src/ctap/cbor/index.js';
import { Ctap2Cmd, GetInfoKey } from '../../../src/ctap/ctap2/constants.js';
import { parseAuthenticatorInfo } from '../../../src/ctap/ctap2/info.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { CtapHidCapability } from '../../../src/ctap/hid/constants.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { VIRTUAL_PROFILES, type VirtualProfileName } from '../../../src/ctap/virtual/index.js';
import { ctap2, fastKey, makeCredentialParams } from './support.js';

async function info(profile: VirtualProfileName) {
  const answer = await ctap2(fastKey({ profile }), Ctap2Cmd.GET_INFO);
  expect(answer.status).toBe(CtapStatus.CTAP2_OK);
  return { map: answer.body!, info: parseAuthenticatorInfo(answer.body!) };
}

describe('getInfo of each profile', () => {
  it('yubikeyBio: CTAP 2.1 with fingerprint, bioEnroll false until a finger is enrolled', async () => {
    const { info: i, map } = await info('yubikeyBio');
    expect(i.versions).toEqual(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1']);
    expect(Buffer.from(i.aaguid).toString('hex')).toBe('d8522d9f575b486688a9ba99fa02f35b');
    expect(Object.fromEntries(i.options)).toMatchObject({
      uv: false,
      bioEnroll: false,
      userVerificationMgmtPreview: false,
      uvBioEnroll: true,
      clientPin: false,
    });
    expect(map.get(GetInfoKey.uvModality)).toBe(2);
    expect(i.transports).toEqual(['usb']);
  });

  it('ctap21pre: FIDO_2_1_PRE, protocol one only, the preview options and no CTAP 2.1 fields', async () => {
    const { info: i, map } = await info('ctap21pre');
    expect(i.versions).toEqual(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE']);
    expect(i.pinUvAuthProtocols).toEqual([1]);
    expect(Object.fromEntries(i.options)).toEqual({
      rk: true,
      up: true,
      uv: false,
      plat: false,
      clientPin: false,
      credentialMgmtPreview: true,
      userVerificationMgmtPreview: false,
    });
    expect(map.has(GetInfoKey.minPINLength)).toBe(false);
    expect(map.has(GetInfoKey.remainingDiscoverableCredentials)).toBe(false);
  });

  it('ctap20: FIDO_2_0 and U2F, protocol one, no credMgmt and no pinUvAuthToken', async () => {
    const { info: i } = await info('ctap20');
    expect(i.versions).toEqual(['U2F_V2', 'FIDO_2_0']);
    expect(i.pinUvAuthProtocols).toEqual([1]);
    expect(i.extensions).toEqual(['hmac-secret']);
    expect(Object.fromEntries(i.options)).toEqual({ rk: true, up: true, plat: false, clientPin: false });
  });

  it('titanK52: CTAP 2.1 with credential management, the Titan AAGUID, no large blobs', async () => {
    const { info: i } = await info('titanK52');
    expect(Buffer.from(i.aaguid).toString('hex')).toBe('42b4fb4a286643b29bf76c6669c2e5d3');
    expect(i.options.get('credMgmt')).toBe(true);
    expect(i.options.has('largeBlobs')).toBe(false);
    expect(i.extensions).toEqual(['credProtect', 'hmac-secret']);
  });

  it('advertises only what the profile row lists, for every profile that speaks CTAP2', async () => {
    for (const name of Object.keys(VIRTUAL_PROFILES) as VirtualProfileName[]) {
      if (name === 'u2fOnly') continue;
      const row = VIRTUAL_PROFILES[name];
      const { info: i } = await info(name);
      expect([...i.options.keys()].sort()).toEqual(Object.keys(row.options).sort());
      expect(i.extensions).toEqual(row.extensions);
      expect(i.pinUvAuthProtocols).toEqual(row.pinUvAuthProtocols);
    }
  });
});

describe('CTAP 2.0 answers', () => {
  it('ctap20 refuses uv:true with UNSUPPORTED_OPTION, where CTAP 2.1 keys say INVALID_OPTION', async () => {
    const options = { uv: true };
    expect(
      (await ctap2(fastKey({ profile: 'ctap20' }), Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams({ options }))).status,
    ).toBe(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    expect(
      (await ctap2(fastKey({ profile: 'yubikey5' }), Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams({ options })))
        .status,
    ).toBe(CtapStatus.CTAP2_ERR_INVALID_OPTION);
  });
});

describe('CBOR strictness', () => {
  // getInfo-free request with map keys out of order: {2: rp, 1: clientDataHash, ...}.
  function unsorted(): Uint8Array {
    const sorted = encodeCbor(makeCredentialParams());
    const parts = [...makeCredentialParams()].filter(([, v]) => v !== undefined);
    const [first, second, ...rest] = parts;
    const swapped = new Map([second!, first!, ...rest]);
    const body = concatBytes(
      Uint8Array.of(0xa0 + swapped.size),
      ...[...swapped].map(([k, v]) => concatBytes(encodeCbor(k), encodeCbor(v!))),
    );
    expect(body).not.toEqual(sorted);
    return body;
  }

  it('titanK52 answers MISSING_PARAMETER to a request whose map is not in canonical order', async () => {
    expect((await ctap2(fastKey({ profile: 'titanK52' }), Ctap2Cmd.MAKE_CREDENTIAL, unsorted())).status).toBe(
      CtapStatus.CTAP2_ERR_MISSING_PARAMETER,
    );
  });

  it('the other profiles call it INVALID_CBOR', async () => {
    expect((await ctap2(fastKey({ profile: 'yubikey5' }), Ctap2Cmd.MAKE_CREDENTIAL, unsorted())).status).toBe(
      CtapStatus.CTAP2_ERR_INVALID_CBOR,
    );
  });
});

describe('CTAPHID INIT capabilities', () => {
  it.each([
    ['yubikey5', CtapHidCapability.WINK | CtapHidCapability.CBOR],
    ['titanK52', CtapHidCapability.CBOR],
    ['u2fOnly', CtapHidCapability.WINK],
  ] as const)('%s announces %i', async (profile, capabilities) => {
    const device = await CtapHidDevice.open(fastKey({ profile }).hidConnection(), { transport: 'virtual' });
    expect(device.capabilityFlags).toBe(capabilities);
  });
});
