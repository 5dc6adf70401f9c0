// CredentialManagement: YubiKey replays (metadata, RP list, RK list), exact request bytes with a fixed token, empty answers, property tests.

import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../../src/ctap/cbor/decode.js';
import { encodeCbor } from '../../../src/ctap/cbor/encode.js';
import { fromHex, toHex } from '../../../src/ctap/bytes.js';
import { coseToPublicKey } from '../../../src/ctap/cose/coseKey.js';
import { ClientPin, PinUvAuthToken } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { CredentialManagement } from '../../../src/ctap/ctap2/CredentialManagement.js';
import { parseAuthenticatorInfo, type AuthenticatorInfo } from '../../../src/ctap/ctap2/info.js';
import {
  PinUvAuthProtocolV1,
  PinUvAuthProtocolV2,
  type PinUvAuthProtocol,
} from '../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { ClientError, CtapError } from '../../../src/ctap/errors.js';
import { CaptureDevice } from '../../support/captureDevice.js';
import { FUZZ_RUNS, expectOnlyTypedErrorsAsync, mutationsOf } from '../../support/fuzz.js';
import {
  onRecordedChannel,
  recordedBody,
  recordedMessages,
  replayDevice,
  splitMessages,
} from '../../support/replayHid.js';
import { recordedReports } from '../../support/wiredata.js';

/** The pinUvAuthToken of the CTAP 2.1 migration guide's worked examples (WebauthnWorks/CTAP2.1-Migration-Guide). */
const GUIDE_TOKEN = '0125fecfd8bf3f679bd9ec221324baa74f3cade0314b4fba8029500a320612ad';

function tokenFor(protocol: PinUvAuthProtocol = new PinUvAuthProtocolV2(), hex = GUIDE_TOKEN): PinUvAuthToken {
  return new PinUvAuthToken(protocol, fromHex(hex), ClientPin.PERMISSION.cm, undefined, false);
}

/** The recorded YubiKey getInfo with some options replaced. */
function yubikeyInfo(options?: Record<string, boolean>): AuthenticatorInfo {
  const info = parseAuthenticatorInfo(decodeCbor(recordedBody('WIREDATA_CTAP_CBOR_INFO')));
  return options === undefined ? info : { ...info, options: new Map(Object.entries(options)) };
}

/** A CredentialManagement over a CaptureDevice answering `answers` (hex: status byte then CBOR). */
async function captured(answers: string[], options?: Record<string, boolean>, protocol?: PinUvAuthProtocol) {
  const device = new CaptureDevice(answers.map(fromHex));
  const ctap2 = await Ctap2.create(device, { info: yubikeyInfo(options) });
  const token = tokenFor(protocol);
  return { device, credman: new CredentialManagement(ctap2, token) };
}

const hmac = (message: string): string =>
  createHmac('sha256', fromHex(GUIDE_TOKEN)).update(fromHex(message)).digest('hex');
const sha256 = (text: string): Uint8Array => new Uint8Array(createHash('sha256').update(text).digest());

describe('CredentialManagement replaying a YubiKey 5 (libfido2 recordings)', () => {
  async function open(name: string) {
    const { device, conn } = await replayDevice(
      recordedReports('WIREDATA_CTAP_CBOR_INFO'),
      ...splitMessages(onRecordedChannel(recordedReports(name))),
    );
    const ctap2 = await Ctap2.create(device);
    const token = tokenFor();
    return { conn, credman: new CredentialManagement(ctap2, token) };
  }

  it('reads the metadata: 0 existing and 25 remaining discoverable credentials, over command 0x0a', async () => {
    const { conn, credman } = await open('WIREDATA_CTAP_CBOR_CREDMAN_META');
    expect(credman.command).toBe(0x0a);
    expect(await credman.getMetadata()).toEqual({
      existingResidentCredentialsCount: 0,
      maxPossibleRemainingResidentCredentialsCount: 25,
    });
    // The third report written (after INIT and getInfo) is the whole request: CBOR, 41 bytes, 0x0a {1: 1, 3: 2, 4: MAC}.
    const request = conn.written[2]!;
    expect(toHex(request.subarray(4, 7))).toBe('900029');
    expect(toHex(request.subarray(7, 7 + 41))).toBe(`0aa301010302045820${hmac('01')}`);
  });

  it('lists the three recorded RPs with their rpIDHash, the SHA-256 of each RP ID', async () => {
    const { credman } = await open('WIREDATA_CTAP_CBOR_CREDMAN_RPLIST');
    const rps = await credman.enumerateRps();
    expect(rps.map((r) => r.rp)).toEqual([{ id: 'yubico.com' }, { id: 'yubikey.org' }, { id: 'webauthn.dev' }]);
    expect(toHex(rps[0]!.rpIdHash)).toBe('378209b72defcba91dcbf854edb4daa648828a2cbd180afc77a74434655a1c7d');
    for (const { rp, rpIdHash } of rps) expect(toHex(rpIdHash)).toBe(toHex(sha256(rp.id)));
  });

  it('lists the five recorded credentials: users, 16-byte credential ids, ES256 and Ed25519 COSE keys, credProtect 1', async () => {
    const { credman } = await open('WIREDATA_CTAP_CBOR_CREDMAN_RKLIST');
    const creds = await credman.enumerateCredentials(sha256('yubico.com'));
    expect(creds).toHaveLength(5);
    expect(creds.map((c) => toHex(c.credentialId.id))).toEqual([
      '19f7780ca0bcb9a6d51ed787fb6c8003',
      'd8274b25ed19ef11afa6897b8450e762',
      '005ddfefe2f306b2a5464d98bc1465c1',
      '0a265b7e1a2aba705f182614b271ca98',
      'fba6bec101f67a81f9cd6d20417a1c40',
    ]);
    for (const c of creds) {
      expect(c.credentialId.type).toBe('public-key');
      expect(c.user.name).toBe('bob banana');
      expect(c.user.displayName).toBe('bbanana');
      expect(c.user.id.length).toBe(32);
      expect(c.credProtect).toBe(1);
      expect(c.largeBlobKey).toBeUndefined();
    }
    expect(toHex(creds[0]!.user.id)).toBe('e4e10631de000f4f126ec9682d433ff1022c6ee69610bf7335c9202706ba3909');
    expect(creds.map((c) => c.publicKey.get(3))).toEqual([-7, -8, -8, -7, -7]);
    expect(creds.map((c) => coseToPublicKey(c.publicKey).asymmetricKeyType)).toEqual([
      'ec',
      'ed25519',
      'ed25519',
      'ec',
      'ec',
    ]);
    expect(toHex(creds[0]!.publicKey.get(-2) as Uint8Array)).toBe(
      '816cdd8c8f8cc843a7bb795109b1dfbec4a554169e5856b30b344fa56c05a221',
    );
  });
});

describe('CredentialManagement request bytes (fixed token)', () => {
  it('signs getCredsMetadata over the subCommand alone, as in the migration guide', async () => {
    const { device, credman } = await captured(['00a20104021819']);
    expect(await credman.getMetadata()).toEqual({
      existingResidentCredentialsCount: 4,
      maxPossibleRemainingResidentCredentialsCount: 25,
    });
    expect(hmac('01')).toBe('45676f3835f462adfa04b2066c5ec094c60dd480564326dfdcd4b2c36ac46025');
    expect(toHex(device.requests[0]!.payload)).toBe(
      '0aa30101030204582045676f3835f462adfa04b2066c5ec094c60dd480564326dfdcd4b2c36ac46025',
    );
  });

  it('signs enumerateRPsBegin, sends getNextRP unsigned, and parses the guide\u2019s RP answers with names', async () => {
    const begin =
      '00a303a26269646b6578616d706c652e636f6d646e616d656f546865204578616d706c6520496e63045820a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce19470502';
    const next =
      '00a203a26269646e776562617574686e2e776f726b73646e616d65782150617373776f726473204572616469636174696f6e205370656369616c69737473045820bff672cd24e1015a9da6958f7beccffa1469ac33f82bec37d5cb66675b5840fb';
    const { device, credman } = await captured([begin, next]);
    const rps = await credman.enumerateRps();
    expect(rps.map((r) => r.rp)).toEqual([
      { id: 'example.com', name: 'The Example Inc' },
      { id: 'webauthn.works', name: 'Passwords Eradication Specialists' },
    ]);
    expect(toHex(device.requests[0]!.payload)).toBe(
      '0aa301020302045820fbfb518d519d9f4138b4997ea57492af7d1e2dbc9cd7d80d318980b1b9e9943b',
    );
    expect(toHex(device.requests[1]!.payload)).toBe('0aa10103');
  });

  it('signs enumerateCredentialsBegin over 0x04 || {1: rpIDHash}, and reads largeBlobKey from the guide\u2019s answer', async () => {
    const begin =
      '00a606a362696450413caa9fc7679f2ef2b3147e54bb79c2646e616d65736a6f686e646f65406578616d706c652e636f6d6b646973706c61794e616d656c44722e204a6f686e20446f6507a26269645820d3e41ab4de7c536095c65f037afaadbf6db6b62dd42485c4389bfec59b3710dc64747970656a7075626c69632d6b657908a5010203262001215820e87625896ee4e46dc032766e8087962f36df9dfe8b567f3763015b1990a60e1422582027de612d66418bda1950581ebc5c8c1dad710cb14c22f8c97045f4612fb20c9109020a020b58206b370f92e0317f1a3900cf0ccc5de21c9296f19e4eccbe6cd768017b379b8499';
    const next =
      '00a406a3626964506b1657c061496a0c83af257942192699646e616d65706a616e65406578616d706c652e636f6d6b646973706c61794e616d65714d732e204a616e6520546f776e73656e6407a262696458209ae59f309fae32d4d0f999eec320380b8d4045f924673643336a8aa74b2e0c8e64747970656a7075626c69632d6b657908a501020326200121582091d8bb2e3e36530b39f5702d98cf2c7718c600b3c0bcf41b8fc6358ea285b8ff2258205842b667a893d6878f2a0e008e376ab6db7a7adcc99818c06cb6d2a554b0b7e30a02';
    const { device, credman } = await captured([begin, next]);
    const creds = await credman.enumerateCredentials(sha256('example.com'));
    expect(toHex(device.requests[0]!.payload)).toBe(
      '0aa4010402a1015820a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947' +
        '0302045820340ff740ea8c0daf48c5df402c65735315d296cc1982cd1fa184918bf7407c8b',
    );
    expect(toHex(device.requests[1]!.payload)).toBe('0aa10105');
    expect(creds.map((c) => c.user.name)).toEqual(['johndoe@example.com', 'jane@example.com']);
    expect(creds.map((c) => c.credProtect)).toEqual([2, 2]);
    expect(toHex(creds[0]!.largeBlobKey!)).toBe('6b370f92e0317f1a3900cf0ccc5de21c9296f19e4eccbe6cd768017b379b8499');
    expect(creds[1]!.largeBlobKey).toBeUndefined();
  });

  it('signs deleteCredential over 0x06 || {2: {id, type}}', async () => {
    const { device, credman } = await captured(['00']);
    const id = fromHex('9ae59f309fae32d4d0f999eec320380b8d4045f924673643336a8aa74b2e0c8e');
    await credman.deleteCredential({ type: 'public-key', id, transports: ['usb'] });
    // Transports are not sent: the descriptor is {id, type} in canonical order.
    const params = `a102a26269645820${toHex(id)}64747970656a7075626c69632d6b6579`;
    expect(toHex(device.requests[0]!.payload)).toBe(`0aa4010602${params}0302045820${hmac('06' + params)}`);
  });

  it('signs updateUserInformation over 0x07 || {2: descriptor, 3: user}', async () => {
    const { device, credman } = await captured(['00']);
    const id = fromHex('9ae59f309fae32d4d0f999eec320380b8d4045f924673643336a8aa74b2e0c8e');
    const user = {
      id: fromHex('6b1657c061496a0c83af257942192699'),
      name: 'jane.doherty@example.com',
      displayName: 'Ms. Jane Doherty',
    };
    await credman.updateUserInformation({ type: 'public-key', id }, user);
    const params = encodeCbor(
      new Map<number, Map<string, Uint8Array | string>>([
        [
          2,
          new Map<string, Uint8Array | string>([
            ['id', id],
            ['type', 'public-key'],
          ]),
        ],
        [
          3,
          new Map<string, Uint8Array | string>([
            ['id', user.id],
            ['name', user.name],
            ['displayName', user.displayName],
          ]),
        ],
      ]),
    );
    const sent = decodeCbor(device.requests[0]!.payload.subarray(1)) as Map<number, unknown>;
    expect(sent.get(1)).toBe(7);
    expect(toHex(encodeCbor(sent.get(2) as Map<number, Uint8Array>))).toBe(toHex(params));
    expect(toHex(sent.get(4) as Uint8Array)).toBe(hmac('07' + toHex(params)));
  });

  it('sends protocol 1 and its 16-byte pinUvAuthParam with a protocol one token', async () => {
    const { device, credman } = await captured(['00a20100020a'], undefined, new PinUvAuthProtocolV1());
    await credman.getMetadata();
    expect(toHex(device.requests[0]!.payload)).toBe(`0aa3010103010450${hmac('01').slice(0, 32)}`);
  });

  it('uses 0x41 on a key that only offers credentialMgmtPreview, and refuses updateUserInformation there', async () => {
    const { device, credman } = await captured(['00a20100020a'], { credentialMgmtPreview: true, clientPin: true });
    expect(credman.command).toBe(0x41);
    await credman.getMetadata();
    expect(device.requests[0]!.payload[0]).toBe(0x41);
    await expect(
      credman.updateUserInformation({ type: 'public-key', id: new Uint8Array(16) }, { id: new Uint8Array(8) }),
    ).rejects.toMatchObject({
      reason: 'device-not-supported',
    });
    expect(device.requests).toHaveLength(1);
  });

  it('is supported with credMgmt or credentialMgmtPreview true, and refuses keys without them', async () => {
    const options = (o: Record<string, boolean>) => ({ options: new Map(Object.entries(o)) });
    expect(CredentialManagement.isSupported(options({ credMgmt: true }))).toBe(true);
    expect(CredentialManagement.isSupported(options({ credentialMgmtPreview: true }))).toBe(true);
    expect(CredentialManagement.isSupported(options({ credMgmt: false }))).toBe(false);
    expect(CredentialManagement.isSupported(options({}))).toBe(false);
    const token = tokenFor();
    const ctap2 = await Ctap2.create(new CaptureDevice(), { info: yubikeyInfo({ rk: true }) });
    expect(() => new CredentialManagement(ctap2, token)).toThrow(ClientError);
  });

  it('refuses an rpIdHash that is not 32 bytes and an empty credential id before sending', async () => {
    const { device, credman } = await captured([]);
    await expect(credman.enumerateCredentials(new Uint8Array(20))).rejects.toMatchObject({ reason: 'bad-request' });
    await expect(credman.deleteCredential({ type: 'public-key', id: new Uint8Array(0) })).rejects.toMatchObject({
      reason: 'bad-request',
    });
    expect(device.requests).toHaveLength(0);
  });

  it('refuses to sign with a disposed token', async () => {
    const device = new CaptureDevice();
    const token = tokenFor();
    const credman = new CredentialManagement(await Ctap2.create(device, { info: yubikeyInfo() }), token);
    token.dispose();
    await expect(credman.getMetadata()).rejects.toMatchObject({ reason: 'pin-required' });
    expect(device.requests).toHaveLength(0);
  });
});

describe('CredentialManagement on a key without discoverable credentials', () => {
  it.each([
    ['CTAP2_ERR_NO_CREDENTIALS', '2e'],
    ['an empty map', '00'],
    ['totalRPs 0', '00a10500'],
  ])('lists no RPs when the key answers %s', async (_name, answer) => {
    const { device, credman } = await captured([answer]);
    expect(await credman.enumerateRps()).toEqual([]);
    expect(device.requests).toHaveLength(1);
  });

  it.each([
    ['CTAP2_ERR_NO_CREDENTIALS', '2e'],
    ['an empty map', '00'],
    ['totalCredentials 0', '00a10900'],
  ])('lists no credentials when the key answers %s', async (_name, answer) => {
    const { credman } = await captured([answer]);
    expect(await credman.enumerateCredentials(sha256('example.com'))).toEqual([]);
  });

  it('passes other errors through as CtapError', async () => {
    const { credman } = await captured(['33']);
    await expect(credman.enumerateRps()).rejects.toMatchObject({ status: CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID });
    await expect((await captured(['30'])).credman.getMetadata()).rejects.toBeInstanceOf(CtapError);
  });
});

describe('CredentialManagement malformed answers', () => {
  it.each([
    ['00a2010002f5', /field 0x02 is boolean, expected an unsigned integer/],
    ['00a10100', /field 0x02 is missing/],
  ])('getMetadata names the field: %s', async (answer, message) => {
    await expect((await captured([answer])).credman.getMetadata()).rejects.toThrow(message);
  });

  it('names a missing totalRPs, a short rpIDHash and an rp without an id', async () => {
    const rp = 'a16269646179';
    await expect((await captured([`00a203${rp}0441aa`])).credman.enumerateRps()).rejects.toThrow(/0x05 is missing/);
    await expect((await captured([`00a303${rp}0441aa0501`])).credman.enumerateRps()).rejects.toThrow(
      /rpIDHash\) is 1 bytes, expected 32/,
    );
    await expect((await captured([`00a303a0045820${'00'.repeat(32)}0501`])).credman.enumerateRps()).rejects.toThrow(
      /"id" is not a text string/,
    );
  });

  it('names a credential without a public key or with a largeBlobKey of the wrong length', async () => {
    const user = 'a16269644101';
    const cred = 'a2626964410164747970656a7075626c69632d6b6579';
    await expect(
      (await captured([`00a306${user}07${cred}0901`])).credman.enumerateCredentials(new Uint8Array(32)),
    ).rejects.toThrow(/0x08 is missing/);
    await expect(
      (await captured([`00a506${user}07${cred}08a009010b4101`])).credman.enumerateCredentials(new Uint8Array(32)),
    ).rejects.toThrow(/largeBlobKey\) is 1 bytes, expected 32/);
  });
});

describe('CredentialManagement property tests', () => {
  const samples = [
    'WIREDATA_CTAP_CBOR_CREDMAN_META',
    'WIREDATA_CTAP_CBOR_CREDMAN_RPLIST',
    'WIREDATA_CTAP_CBOR_CREDMAN_RKLIST',
  ].flatMap(recordedMessages);

  it('every subcommand fails only with typed errors on mutated recorded answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples).chain((s) => fc.array(mutationsOf(s), { minLength: 1, maxLength: 3 })),
        async (answers) => {
          const hexes = answers.map(toHex);
          await expectOnlyTypedErrorsAsync(async () => (await captured(hexes)).credman.getMetadata());
          await expectOnlyTypedErrorsAsync(async () => (await captured(hexes)).credman.enumerateRps());
          await expectOnlyTypedErrorsAsync(async () =>
            (await captured(hexes)).credman.enumerateCredentials(new Uint8Array(32)),
          );
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('every subcommand fails only with typed errors on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 120 }), { minLength: 1, maxLength: 3 }), async (answers) => {
        const hexes = answers.map(toHex);
        await expectOnlyTypedErrorsAsync(async () => (await captured(hexes)).credman.enumerateRps());
        await expectOnlyTypedErrorsAsync(async () =>
          (await captured(hexes)).credman.enumerateCredentials(new Uint8Array(32)),
        );
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
