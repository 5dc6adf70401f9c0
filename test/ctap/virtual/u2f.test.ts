import { X509Certificate, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../src/ctap/bytes.js';
import { detectCtapVersion } from '../../../src/ctap/authenticator/detectCtapVersion.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { Ctap2Cmd } from '../../../src/ctap/ctap2/constants.js';
import { credProtectInput, extensionMap } from '../../../src/ctap/ctap2/extensions/index.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { CtapHidCapability } from '../../../src/ctap/hid/constants.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { StatusWord } from '../../../src/ctap/iso7816/constants.js';
import { CtapDeviceCmd } from '../../../src/ctap/transport.js';
import type { PresenceRequest, VirtualProfileName } from '../../../src/ctap/virtual/index.js';
import { credentialId, credentialParams, hash, openKey, openU2f } from './clients.js';
import { ctap2 as rawCtap2, delay, fastKey } from './support.js';

const APP_ID = 'https://latchkey.localhost';
const U2F_PROFILES: VirtualProfileName[] = [
  'yubikey5',
  'yubikeyBio',
  'ctap21pre',
  'ctap20',
  'titanK52',
  'u2fOnly',
  'ctap22',
];

/** The raw public key point of a U2F public key, as node:crypto wants it (SPKI DER). */
function pointKey(point: Uint8Array) {
  const spkiPrefix = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
  return createPublicKey({ key: Buffer.concat([spkiPrefix, point]), format: 'der', type: 'spki' });
}

describe.each(U2F_PROFILES)('U2F over CTAPHID_MSG on %s', (profile) => {
  it('answers U2F_V2 to version', async () => {
    const ctap1 = await openU2f(fastKey({ profile }));
    expect(await ctap1.getVersion()).toBe('U2F_V2');
  });

  it('registers after a touch with a fido-u2f attestation that verifies, then signs challenges node:crypto verifies', async () => {
    const key = fastKey({ profile });
    const requests: PresenceRequest[] = [];
    // The user touches 30 ms after being asked: the platform polls through 6985 answers meanwhile.
    key.presence = (req) => (requests.push(req), delay(30).then(() => true));
    const ctap1 = await openU2f(key);
    const appParam = hash(APP_ID);
    const registration = await ctap1.register(hash('register challenge'), appParam);
    expect(registration.verify()).toBe(true);
    expect(new X509Certificate(registration.certificate).subject).toContain(
      'CN=Latchkey Virtual Authenticator Attestation (test key)',
    );
    expect(requests[0]).toMatchObject({ command: 'u2fRegister', purpose: 'presence' });

    const challengeParam = hash('login challenge');
    const first = await ctap1.authenticate(challengeParam, appParam, registration.keyHandle);
    expect(first.userPresent).toBe(true);
    expect(first.verify({ appParam, challengeParam, publicKey: registration.publicKey })).toBe(true);
    const signed = concatBytes(appParam, first.raw.subarray(0, 5), challengeParam);
    expect(verify('sha256', signed, pointKey(registration.publicKey), first.signature)).toBe(true);
    const second = await ctap1.authenticate(challengeParam, appParam, registration.keyHandle);
    expect(second.counter).toBeGreaterThan(first.counter);
  });

  it('answers a check-only authenticate with 6985 for its own key handle and 6A80 for any other', async () => {
    const key = fastKey({ profile });
    const ctap1 = await openU2f(key);
    const appParam = hash(APP_ID);
    const registration = await ctap1.register(hash('c'), appParam);
    const requests: PresenceRequest[] = [];
    key.presence = (req) => (requests.push(req), Promise.resolve(true));
    expect(await ctap1.authenticate(hash('c'), appParam, registration.keyHandle, { checkOnly: true })).toEqual({
      known: true,
    });
    expect(
      await ctap1.authenticate(hash('c'), hash('https://other.example'), registration.keyHandle, { checkOnly: true }),
    ).toEqual({ known: false });
    expect(await ctap1.authenticate(hash('c'), appParam, new Uint8Array(64).fill(1), { checkOnly: true })).toEqual({
      known: false,
    });
    expect(requests).toEqual([]);
  });
});

describe('U2F details', () => {
  it('keeps answering 6985 while nobody touches the key', async () => {
    const key = fastKey({ presence: () => new Promise(() => undefined) });
    const data = concatBytes(hash('c'), hash(APP_ID));
    const apdu = concatBytes(
      Uint8Array.of(0x00, 0x01, 0x00, 0x00, 0x00, 0x00, data.length),
      data,
      Uint8Array.of(0x00, 0x00),
    );
    for (let i = 0; i < 3; i++) {
      const answer = await key.processU2f(apdu);
      expect(Buffer.from(answer).toString('hex')).toBe(StatusWord.CONDITIONS_NOT_SATISFIED.toString(16));
      await delay(5);
    }
  });

  it('lets CTAP2 getAssertion use a U2F registration (rpId = the AppID), as real keys do', async () => {
    const { key, ctap2 } = await openKey();
    const ctap1 = await openU2f(key);
    const registration = await ctap1.register(hash('c'), hash(APP_ID));
    const assertion = await ctap2.getAssertion({
      rpId: APP_ID,
      clientDataHash: hash('x'),
      allowList: [{ type: 'public-key', id: registration.keyHandle }],
    });
    const signed = concatBytes(assertion.authData.raw, hash('x'));
    expect(verify('sha256', signed, pointKey(registration.publicKey), assertion.signature)).toBe(true);
  });

  it('hides a credProtect level 3 credential from U2F, which cannot verify the user', async () => {
    const { key, ctap2 } = await openKey();
    const ctap1 = await openU2f(key);
    const made = await ctap2.makeCredential(
      credentialParams({ rpId: APP_ID, extensions: extensionMap(credProtectInput({ info: ctap2.info, policy: 3 })) }),
    );
    const plain = await ctap2.makeCredential(credentialParams({ rpId: APP_ID }));
    expect(await ctap1.authenticate(hash('c'), hash(APP_ID), credentialId(plain), { checkOnly: true })).toEqual({
      known: true,
    });
    expect(await ctap1.authenticate(hash('c'), hash(APP_ID), credentialId(made), { checkOnly: true })).toEqual({
      known: false,
    });
  });

  // python-fido2 and libfido2 frame U2F_VERSION as CLA INS P1 P2 00 0000 0000 (extended Lc 0000, then Le).
  it.each([
    ['U2F framing, Lc 0000 then Le 0000', '000300000000000000', '5532465f56329000'],
    ['case 2E, Le 0000', '00030000000000', '5532465f56329000'],
    ['short, no Le', '00030000', '5532465f56329000'],
    ['an unknown instruction in U2F framing', '000500000000000000', '6d00'],
    ['an unknown instruction with lengths that do not add up', '0005000000000501', '6d00'],
  ])('answers %s as a real key does', async (_, apdu, answer) => {
    const device = await CtapHidDevice.open(fastKey().hidConnection(), { transport: 'virtual' });
    expect(toHex(await device.call(CtapDeviceCmd.MSG, fromHex(apdu)))).toBe(answer);
  });

  it('u2fOnly: no CBOR capability at INIT, getInfo refused with INVALID_COMMAND, and detectCtapVersion picks U2F', async () => {
    const key = fastKey({ profile: 'u2fOnly' });
    const device = await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
    expect(device.capabilityFlags & CtapHidCapability.CBOR).toBe(0);
    expect(device.capabilityFlags & CtapHidCapability.NMSG).toBe(0);
    expect(device.capabilities).toMatchObject({ cbor: false, msg: true });
    expect((await rawCtap2(key, Ctap2Cmd.GET_INFO)).status).toBe(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
    // Over HID the CBOR command itself is unknown: CTAPHID ERR_INVALID_CMD (0x01, the same number).
    await expect(Ctap2.create(device)).rejects.toMatchObject({
      name: 'TransportError',
      message: expect.stringContaining('ERR_INVALID_CMD'),
    });
    expect((await detectCtapVersion(device)).kind).toBe('u2f');
  });
});
