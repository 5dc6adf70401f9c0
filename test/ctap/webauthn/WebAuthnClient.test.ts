// WebAuthnClient against virtual keys over in-memory HID: ceremonies a relying party verifies, clientDataJSON, RP ID checks, lists, key choice, cancel.

import { createPublicKey } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../src/ctap/bytes.js';
import { decodeCbor, type CborMap } from '../../../src/ctap/cbor/index.js';
import { parseAuthenticatorData } from '../../../src/ctap/ctap2/authenticatorData.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { GetAssertionParam, MakeCredentialParam } from '../../../src/ctap/ctap2/constants.js';
import { ClientError } from '../../../src/ctap/errors.js';
import { VIRTUAL_PROFILES } from '../../../src/ctap/virtual/index.js';
import { WebAuthnClient } from '../../../src/ctap/webauthn/WebAuthnClient.js';
import { ccdToString } from '../../../src/ctap/webauthn/clientData.js';
import { Ctap2Cmd, ORIGIN, RP_ID, ScriptedUi, client, neverTouch, openKey, touchAfter, virtualKey } from './support.js';

const CHALLENGE = Uint8Array.from({ length: 32 }, (_, i) => i);

function creationOptions(
  overrides: Partial<PublicKeyCredentialCreationOptionsJSON> = {},
): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { id: RP_ID, name: 'Latchkey' },
    user: { id: toBase64Url(Uint8Array.of(1, 2, 3, 4)), name: 'alice@example.com', displayName: 'Alice' },
    challenge: toBase64Url(CHALLENGE),
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey: 'discouraged', userVerification: 'discouraged' },
    ...overrides,
  };
}

function attestationObjectOf(response: { attestationObject: string }): CborMap {
  return decodeCbor(fromBase64Url(response.attestationObject)) as CborMap;
}

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return (error as ClientError).reason;
}

describe('WebAuthnClient ceremonies a relying party verifies', () => {
  it('registers and signs in, both verified by SimpleWebAuthn (EdDSA first, as its default algorithm list asks)', async () => {
    const device = await openKey(virtualKey());
    const webauthn = client([device]);
    const regOptions = await generateRegistrationOptions({
      rpName: 'Latchkey',
      rpID: RP_ID,
      userName: 'alice@example.com',
      attestationType: 'direct',
    });
    const registration = await webauthn.create(regOptions);
    const verified = await verifyRegistrationResponse({
      response: registration,
      expectedChallenge: regOptions.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      requireUserVerification: false,
    });
    expect(verified.verified).toBe(true);
    const { credential, fmt, aaguid } = verified.registrationInfo!;
    expect(fmt).toBe('packed');
    expect(aaguid).toBe(VIRTUAL_PROFILES.yubikey5.aaguid);
    expect(registration.response.publicKeyAlgorithm).toBe(-8);
    // generateRegistrationOptions asks for credProps and a passkey where possible: the key can store one.
    expect(registration.clientExtensionResults).toEqual({ credProps: { rk: true } });

    const authOptions = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: credential.id }] });
    const assertion = await webauthn.get(authOptions);
    const login = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: authOptions.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential,
      requireUserVerification: false,
    });
    expect(login.verified).toBe(true);
    expect(login.authenticationInfo.newCounter).toBeGreaterThan(credential.counter);
  });

  it('returns every RegistrationResponseJSON member base64url: SPKI public key, authenticator data, sorted transports, attachment', async () => {
    const webauthn = client([await openKey(virtualKey())]);
    const registration = await webauthn.create(creationOptions({ attestation: 'direct' }));
    const { response } = registration;
    expect(registration.id).toBe(registration.rawId);
    expect(registration.type).toBe('public-key');
    expect(registration.authenticatorAttachment).toBe('cross-platform');
    expect(response.transports).toEqual(['nfc', 'usb']);
    expect(response.publicKeyAlgorithm).toBe(-7);
    const attestation = attestationObjectOf(response);
    expect([...attestation.keys()]).toEqual(['fmt', 'attStmt', 'authData']);
    const authData = attestation.get('authData') as Uint8Array;
    expect(response.authenticatorData).toBe(toBase64Url(authData));
    const parsed = parseAuthenticatorData(authData);
    expect(toBase64Url(parsed.attestedCredentialData!.credentialId)).toBe(registration.id);
    const spki = createPublicKey({ key: Buffer.from(fromBase64Url(response.publicKey!)), format: 'der', type: 'spki' });
    expect(spki.asymmetricKeyType).toBe('ec');
    for (const value of [registration.id, response.clientDataJSON, response.attestationObject, response.publicKey!]) {
      expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  it('replaces the attestation statement with "none" when the relying party asks for none (the default) and keeps the AAGUID', async () => {
    const webauthn = client([await openKey(virtualKey())]);
    const { attestation: _attestation, ...withoutPreference } = creationOptions();
    const registration = await webauthn.create(withoutPreference);
    const attestation = attestationObjectOf(registration.response);
    expect(attestation.get('fmt')).toBe('none');
    expect((attestation.get('attStmt') as CborMap).size).toBe(0);
    const aaguid = parseAuthenticatorData(attestation.get('authData') as Uint8Array).attestedCredentialData!.aaguid;
    expect(Buffer.from(aaguid).toString('hex')).toBe(VIRTUAL_PROFILES.yubikey5.aaguid.replace(/-/g, ''));
    const verified = await verifyRegistrationResponse({
      response: registration,
      expectedChallenge: toBase64Url(CHALLENGE),
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      requireUserVerification: false,
    });
    expect(verified.registrationInfo?.fmt).toBe('none');
  });

  it('makes a passkey and signs in without allowCredentials, returning the user handle; the UI picks among several accounts', async () => {
    const device = await openKey(virtualKey());
    const accounts: unknown[] = [];
    const ui = new ScriptedUi();
    const webauthn = client([device], {
      requestPin: ui.requestPin.bind(ui),
      chooseAccount: async (req) => {
        accounts.push(...req.accounts);
        // Without user verification the key names accounts by user handle only (CTAP 2.1 section 6.2.2 step 12).
        return req.accounts.findIndex((a) => a.userHandle === toBase64Url(Uint8Array.of(2)));
      },
    });
    for (const [id, name] of [
      [1, 'alice@example.com'],
      [2, 'bob@example.com'],
    ] as const) {
      const registration = await webauthn.create(
        creationOptions({
          user: { id: toBase64Url(Uint8Array.of(id)), name, displayName: name },
          authenticatorSelection: { residentKey: 'required', userVerification: 'discouraged' },
          extensions: { credProps: true },
        }),
      );
      expect(registration.clientExtensionResults.credProps).toEqual({ rk: true });
    }
    const assertion = await webauthn.get({
      challenge: toBase64Url(CHALLENGE),
      rpId: RP_ID,
      userVerification: 'discouraged',
    });
    expect(assertion.response.userHandle).toBe(toBase64Url(Uint8Array.of(2)));
    expect(accounts).toHaveLength(2);
    expect(device.of(Ctap2Cmd.GET_NEXT_ASSERTION)).toHaveLength(1);
  });

  it('reports credProps rk false for a non-discoverable credential', async () => {
    const webauthn = client([await openKey(virtualKey())]);
    const registration = await webauthn.create(creationOptions({ extensions: { credProps: true } }));
    expect(registration.clientExtensionResults).toEqual({ credProps: { rk: false } });
  });

  it('announces the touch once, on the key\u2019s first "user presence needed" keepalive', async () => {
    const ui = new ScriptedUi();
    const webauthn = client([await openKey(virtualKey({ presence: touchAfter(80) }))], ui);
    await webauthn.create(creationOptions());
    expect(ui.touches).toEqual([{ purpose: 'presence' }]);
  });
});

describe('clientDataJSON', () => {
  it('is exactly {type, challenge, origin, crossOrigin:false} in that order, and the key signs its SHA-256', async () => {
    const device = await openKey(virtualKey());
    const webauthn = client([device]);
    const registration = await webauthn.create(creationOptions());
    const expected = `{"type":"webauthn.create","challenge":"${toBase64Url(CHALLENGE)}","origin":"https://latchkey.localhost","crossOrigin":false}`;
    expect(Buffer.from(fromBase64Url(registration.response.clientDataJSON)).toString('utf8')).toBe(expected);
    const sent = device.of(Ctap2Cmd.MAKE_CREDENTIAL)[0]!.params!.get(MakeCredentialParam.clientDataHash) as Uint8Array;
    expect(Buffer.from(sent).toString('hex')).toBe(
      (await import('node:crypto')).createHash('sha256').update(expected).digest('hex'),
    );

    const assertion = await webauthn.get({
      challenge: toBase64Url(CHALLENGE),
      allowCredentials: [{ id: registration.id, type: 'public-key' }],
      userVerification: 'discouraged',
    });
    expect(Buffer.from(fromBase64Url(assertion.response.clientDataJSON)).toString('utf8')).toBe(
      `{"type":"webauthn.get","challenge":"${toBase64Url(CHALLENGE)}","origin":"https://latchkey.localhost","crossOrigin":false}`,
    );
  });

  it('re-encodes the challenge as unpadded base64url, as browsers do', async () => {
    const webauthn = client([await openKey(virtualKey())]);
    const registration = await webauthn.create(creationOptions({ challenge: 'AAEC' }));
    expect(Buffer.from(fromBase64Url(registration.response.clientDataJSON)).toString()).toContain('"challenge":"AAEC"');
    await expect(webauthn.create(creationOptions({ challenge: 'not base64url!' }))).rejects.toMatchObject({
      reason: 'bad-request',
    });
  });

  it('escapes strings as CCDToString does: \\" \\\\ and \\u00xx in lower-case hex for control characters, other text as is', () => {
    expect(ccdToString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(ccdToString('line\nbreak\u001f')).toBe('"line\\u000abreak\\u001f"');
    expect(ccdToString('h\u00e9 \u{1f511}')).toBe('"h\u00e9 \u{1f511}"');
  });
});

describe('RP ID and origin', () => {
  it('refuses a client whose RP ID is not a suffix of the origin\u2019s host, naming both', () => {
    const make = () =>
      new WebAuthnClient({ origin: ORIGIN, rpId: 'example.com', ui: new ScriptedUi(), devices: async () => [] });
    expect(make).toThrow(ClientError);
    expect(make).toThrow(/"example\.com".*"https:\/\/latchkey\.localhost"/);
  });

  it('refuses a request for another RP ID before any key is asked', async () => {
    const device = await openKey(virtualKey());
    const webauthn = client([device]);
    const error = await webauthn
      .create(creationOptions({ rp: { id: 'evil.example', name: 'Evil' } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ClientError', reason: 'bad-request' });
    expect((error as Error).message).toBe(
      'The RP ID "evil.example" is not valid for the origin "https://latchkey.localhost": it is not the origin\'s host "latchkey.localhost" nor a suffix of it.',
    );
    await expect(webauthn.get({ challenge: 'AAAA', rpId: 'other.localhost' })).rejects.toMatchObject({
      reason: 'bad-request',
    });
    expect(device.requests).toHaveLength(0);
  });

  it('accepts a registrable suffix of the host, and refuses public suffixes, IP hosts and insecure or malformed origins', () => {
    const ui = new ScriptedUi();
    const devices = async () => [];
    expect(new WebAuthnClient({ origin: 'https://login.latchkey.localhost', rpId: RP_ID, ui, devices }).rpId).toBe(
      RP_ID,
    );
    expect(new WebAuthnClient({ origin: 'http://localhost:5173', ui, devices }).rpId).toBe('localhost');
    const refused: [string, string | undefined, ((d: string) => boolean)?][] = [
      ['https://example.com', 'com'],
      ['https://shop.example.co.uk', 'co.uk', (d) => d === 'co.uk'],
      ['https://10.0.0.1', '0.0.1'],
      ['https://example.com', 'EXAMPLE.com'],
      ['http://example.com', 'example.com'],
      ['https://example.com/login', 'example.com'],
      ['not an origin', undefined],
    ];
    for (const [origin, rpId, isPublicSuffix] of refused) {
      const options = {
        origin,
        ui,
        devices,
        ...(rpId === undefined ? {} : { rpId }),
        ...(isPublicSuffix ? { isPublicSuffix } : {}),
      };
      expect(() => new WebAuthnClient(options), `${origin} ${rpId}`).toThrow(ClientError);
    }
  });
});

describe('long credential lists', () => {
  /** The key seen through a getInfo that allows only two ids per list and 128-byte ids. */
  async function narrowKey() {
    const key = virtualKey();
    const device = await openKey(key);
    const real = await Ctap2.create(device);
    const ctap2 = await Ctap2.create(device, {
      info: { ...real.info, maxCredentialCountInList: 2, maxCredentialIdLength: 128 },
    });
    return { device, ctap2 };
  }

  const foreign = (n: number, length = 62) => ({
    type: 'public-key' as const,
    id: toBase64Url(Uint8Array.from({ length }, (_, i) => (i * 7 + n) & 0xff)),
  });

  it('probes batches of maxCredentialCountInList silently (up:false), skips over-long ids, then asks for the one the key holds', async () => {
    const { device, ctap2 } = await narrowKey();
    const webauthn = client([ctap2]);
    const mine = await webauthn.create(creationOptions());
    device.requests.length = 0;
    const allowCredentials = [
      foreign(1),
      foreign(2, 200),
      foreign(3),
      foreign(4),
      { id: mine.id, type: 'public-key' },
      foreign(5),
    ];
    const assertion = await webauthn.get({
      challenge: toBase64Url(CHALLENGE),
      allowCredentials,
      userVerification: 'discouraged',
    });
    expect(assertion.id).toBe(mine.id);
    const sent = device.of(Ctap2Cmd.GET_ASSERTION).map((r) => ({
      ids: (r.params!.get(GetAssertionParam.allowList) as CborMap[]).map((d) => toBase64Url(d.get('id') as Uint8Array)),
      options: r.params!.get(GetAssertionParam.options),
    }));
    expect(sent).toEqual([
      { ids: [foreign(1).id, foreign(3).id], options: new Map([['up', false]]) },
      { ids: [foreign(4).id, mine.id], options: new Map([['up', false]]) },
      { ids: [mine.id], options: undefined },
    ]);
  });

  it('fails with no-credentials when no batch holds a credential, without asking for a signature', async () => {
    const { device, ctap2 } = await narrowKey();
    const webauthn = client([ctap2]);
    const allowCredentials = [foreign(1), foreign(2), foreign(3)];
    expect(await reason(webauthn.get({ challenge: 'AAAA', allowCredentials, userVerification: 'discouraged' }))).toBe(
      'no-credentials',
    );
    expect(device.of(Ctap2Cmd.GET_ASSERTION)).toHaveLength(2);
  });

  it('sends only the matching excluded credential, which the key refuses after a touch (credential-excluded)', async () => {
    const { device, ctap2 } = await narrowKey();
    const webauthn = client([ctap2]);
    const mine = await webauthn.create(creationOptions());
    device.requests.length = 0;
    const excludeCredentials = [foreign(1), foreign(2), foreign(3), { id: mine.id, type: 'public-key' }, foreign(4)];
    expect(await reason(webauthn.create(creationOptions({ excludeCredentials })))).toBe('credential-excluded');
    const made = device.of(Ctap2Cmd.MAKE_CREDENTIAL);
    expect(made).toHaveLength(1);
    expect(
      (made[0]!.params!.get(MakeCredentialParam.excludeList) as CborMap[]).map((d) =>
        toBase64Url(d.get('id') as Uint8Array),
      ),
    ).toEqual([mine.id]);
  });

  it('registers with no excludeList at all when the key holds none of the excluded credentials', async () => {
    const { device, ctap2 } = await narrowKey();
    const webauthn = client([ctap2]);
    await webauthn.create(creationOptions({ excludeCredentials: [foreign(1), foreign(2), foreign(3)] }));
    expect(device.of(Ctap2Cmd.GET_ASSERTION)).toHaveLength(2);
    expect(device.of(Ctap2Cmd.MAKE_CREDENTIAL)[0]!.params!.has(MakeCredentialParam.excludeList)).toBe(false);
  });
});

describe('several keys', () => {
  it('uses the key the user touches and cancels the others', async () => {
    const ui = new ScriptedUi();
    const idle = await openKey(virtualKey({ presence: neverTouch }));
    const touched = await openKey(virtualKey({ presence: touchAfter(40) }));
    const webauthn = client([idle, touched], ui);
    const registration = await webauthn.create(creationOptions());
    expect(ui.touches[0]).toEqual({ purpose: 'select' });
    expect(idle.of(Ctap2Cmd.MAKE_CREDENTIAL)).toHaveLength(0);
    expect(touched.of(Ctap2Cmd.MAKE_CREDENTIAL)).toHaveLength(1);
    // The credential lives on the touched key only; the idle one is usable again after its cancel.
    const get = (device: typeof idle) =>
      client([device]).get({
        challenge: 'AAAA',
        allowCredentials: [{ id: registration.id, type: 'public-key' }],
        userVerification: 'discouraged',
      });
    await expect(get(touched)).resolves.toMatchObject({ id: registration.id });
    expect(await reason(get(idle))).toBe('no-credentials');
  });

  it('lets ui.chooseDevice pick, offering each key\u2019s name, transport and protocol', async () => {
    const first = await openKey(virtualKey());
    const second = await openKey(virtualKey());
    const offered: unknown[] = [];
    const webauthn = new WebAuthnClient({
      origin: ORIGIN,
      ui: {
        requestPin: async () => undefined,
        chooseDevice: async (req) => {
          offered.push(...req.devices);
          return 1;
        },
      },
      devices: async () => [{ authenticator: first, name: 'YubiKey 5 NFC' }, second],
    });
    await webauthn.create(creationOptions());
    expect(offered).toEqual([
      { name: 'YubiKey 5 NFC', transport: 'virtual', protocol: 'ctap2' },
      { transport: 'virtual', protocol: 'ctap2' },
    ]);
    expect(first.of(Ctap2Cmd.MAKE_CREDENTIAL)).toHaveLength(0);
    expect(second.of(Ctap2Cmd.MAKE_CREDENTIAL)).toHaveLength(1);
  });

  it('fails with no-device when no key is connected', async () => {
    expect(await reason(client([]).create(creationOptions()))).toBe('no-device');
  });
});

describe('cancel and timeout', () => {
  it('cancels the key\u2019s pending request through the signal (ClientError cancelled), leaving the key usable', async () => {
    const key = virtualKey({ presence: neverTouch });
    const device = await openKey(key);
    const controller = new AbortController();
    const webauthn = client([device], { requestPin: async () => undefined, onTouch: () => controller.abort() });
    const started = Date.now();
    expect(await reason(webauthn.create(creationOptions(), { signal: controller.signal }))).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1_500);
    key.presence = async () => true;
    await expect(client([device]).create(creationOptions())).resolves.toBeTruthy();
  });

  it('refuses at once when the signal is already aborted, asking no key', async () => {
    const device = await openKey(virtualKey());
    const controller = new AbortController();
    controller.abort();
    expect(await reason(client([device]).create(creationOptions(), { signal: controller.signal }))).toBe('cancelled');
    expect(device.requests).toHaveLength(0);
  });

  it('ends with ClientError timeout after options.timeout milliseconds', async () => {
    const device = await openKey(virtualKey({ presence: neverTouch }));
    const started = Date.now();
    const error = await client([device])
      .create(creationOptions({ timeout: 150 }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'timeout', message: 'The operation timed out after 150 ms.' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('request options', () => {
  it('refuses a platform attachment, an empty or oversized user id, and evalByCredential at creation', async () => {
    const device = await openKey(virtualKey());
    const webauthn = client([device]);
    expect(
      await reason(
        webauthn.create(creationOptions({ authenticatorSelection: { authenticatorAttachment: 'platform' } })),
      ),
    ).toBe('device-not-supported');
    expect(await reason(webauthn.create(creationOptions({ user: { id: '', name: 'a', displayName: 'a' } })))).toBe(
      'bad-request',
    );
    expect(
      await reason(
        webauthn.create(
          creationOptions({ user: { id: toBase64Url(new Uint8Array(65)), name: 'a', displayName: 'a' } }),
        ),
      ),
    ).toBe('bad-request');
    expect(
      await reason(
        webauthn.create({
          ...creationOptions(),
          extensions: { prf: { evalByCredential: { AAAA: { first: 'AAAA' } } } },
        }),
      ),
    ).toBe('bad-request');
    expect(device.requests).toHaveLength(0);
  });

  it('falls back to ES256 and RS256 for an empty pubKeyCredParams and ignores unknown extensions', async () => {
    const device = await openKey(virtualKey());
    await client([device]).create({
      ...creationOptions({ pubKeyCredParams: [] }),
      extensions: { appid: 'https://old.example', unknownThing: 1 } as never,
    });
    const request = device.of(Ctap2Cmd.MAKE_CREDENTIAL)[0]!.params!;
    expect((request.get(MakeCredentialParam.pubKeyCredParams) as CborMap[]).map((p) => p.get('alg'))).toEqual([
      -7, -257,
    ]);
    expect(request.has(MakeCredentialParam.extensions)).toBe(false);
  });

  it('refuses a passkey on a key that cannot store one (device-not-supported)', async () => {
    const device = await openKey(virtualKey());
    const real = await Ctap2.create(device);
    const options = new Map(real.info.options);
    options.set('rk', false);
    const noRk = await Ctap2.create(device, { info: { ...real.info, options } });
    expect(
      await reason(client([noRk]).create(creationOptions({ authenticatorSelection: { residentKey: 'required' } }))),
    ).toBe('device-not-supported');
    const registration = await client([noRk]).create(
      creationOptions({ authenticatorSelection: { residentKey: 'preferred' }, extensions: { credProps: true } }),
    );
    expect(registration.clientExtensionResults.credProps).toEqual({ rk: false });
  });
});
