// The U2F fallback: fido-u2f registrations and U2F sign-ins that SimpleWebAuthn verifies, built exactly as WebAuthn Level 3 section 8.6 says, also from a YubiKey's recorded answers.

import { createHash, verify } from 'node:crypto';
import {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromBase64Url, toBase64Url, toHex } from '../../../src/ctap/bytes.js';
import { decodeCbor, encodeCbor, type CborMap } from '../../../src/ctap/cbor/index.js';
import { Ctap1 } from '../../../src/ctap/ctap1/Ctap1.js';
import { u2fPublicKeyToCose } from '../../../src/ctap/cose/coseKey.js';
import { ClientError } from '../../../src/ctap/errors.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { CtapHidCmd } from '../../../src/ctap/hid/constants.js';
import { readCid, writeCid } from '../../../src/ctap/hid/frame.js';
import { WebAuthnClient } from '../../../src/ctap/webauthn/WebAuthnClient.js';
import { ScriptedHidConnection } from '../../support/scriptedHid.js';
import { RECORDED_CID, recordedReports, regressVector } from '../../support/wiredata.js';
import { ORIGIN, RP_ID, ScriptedUi, client, neverTouch, openKey, virtualKey } from './support.js';
import { SoftU2fKey, sha256 } from './softU2f.js';

const CHALLENGE = toBase64Url(sha256('u2f challenge'));

function creation(
  overrides: Partial<PublicKeyCredentialCreationOptionsJSON> = {},
): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { id: RP_ID, name: 'Latchkey' },
    user: { id: toBase64Url(Uint8Array.of(7)), name: 'alice@example.com', displayName: 'Alice' },
    challenge: CHALLENGE,
    pubKeyCredParams: [
      { type: 'public-key', alg: -8 },
      { type: 'public-key', alg: -7 },
    ],
    authenticatorSelection: { residentKey: 'discouraged', userVerification: 'discouraged' },
    attestation: 'direct',
    extensions: { credProps: true, prf: {} },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

/** A fast-polling Ctap1 over a software U2F key that wants one poll before its touch. */
function softKey() {
  const key = new SoftU2fKey(1);
  return { key, ctap1: new Ctap1(key, { pollIntervalMs: 5 }) };
}

describe('U2F fallback with a software U2F key', () => {
  it('registers with a fido-u2f attestation and signs in, both verified by SimpleWebAuthn', async () => {
    const { key, ctap1 } = softKey();
    const ui = new ScriptedUi();
    const webauthn = client([ctap1], ui);
    const registration = await webauthn.create(creation());
    const verified = await verifyRegistrationResponse({
      response: registration,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      requireUserVerification: false,
    });
    expect(verified.verified).toBe(true);
    const info = verified.registrationInfo!;
    expect(info.fmt).toBe('fido-u2f');
    expect(info.aaguid).toBe('00000000-0000-0000-0000-000000000000');
    expect(info.credential.counter).toBe(0);
    expect(registration.response.publicKeyAlgorithm).toBe(-7);
    expect(registration.response.transports).toEqual(['usb']);
    expect(registration.clientExtensionResults).toEqual({ credProps: { rk: false }, prf: { enabled: false } });
    expect(ui.touches).toEqual([{ purpose: 'presence' }]);

    const foreign = toBase64Url(new Uint8Array(64).fill(1));
    const assertion = await webauthn.get({
      challenge: CHALLENGE,
      allowCredentials: [
        { id: foreign, type: 'public-key' },
        { id: info.credential.id, type: 'public-key' },
      ],
      userVerification: 'preferred',
    });
    expect(assertion.id).toBe(info.credential.id);
    expect(assertion.response.userHandle).toBeUndefined();
    const login = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential: info.credential,
      requireUserVerification: false,
    });
    expect(login.verified).toBe(true);
    expect(login.authenticationInfo.newCounter).toBe(1);
    // Check-only for each allowed key handle (no touch), then one signing request polled until touched.
    expect(key.log.slice(-4)).toEqual([
      { ins: 0x02, p1: 0x07 },
      { ins: 0x02, p1: 0x07 },
      { ins: 0x02, p1: 0x03 },
      { ins: 0x02, p1: 0x03 },
    ]);
  });

  it('detects a U2F-only key from a raw device (getInfo refused, U2F_VERSION answered) and falls back to it', async () => {
    const key = new SoftU2fKey(0);
    const registration = await client([key]).create(creation({ attestation: 'none' }));
    const attestation = decodeCbor(fromBase64Url(registration.response.attestationObject)) as CborMap;
    expect(attestation.get('fmt')).toBe('none');
    expect(key.registrations).toHaveLength(1);
  });

  it('refuses an excluded key after a touch (credential-excluded), having checked the key handle silently first', async () => {
    const { key, ctap1 } = softKey();
    const webauthn = client([ctap1]);
    const registration = await webauthn.create(creation());
    key.log.length = 0;
    const error = await failure(
      webauthn.create(creation({ excludeCredentials: [{ id: registration.id, type: 'public-key' }] })),
    );
    expect(error.reason).toBe('credential-excluded');
    expect(key.log.map((l) => l.ins)).toEqual([0x02, 0x01, 0x01]);
    expect(key.registrations).toHaveLength(2);
  });

  it('refuses what U2F cannot do: user verification, passkeys, sign-in without allowCredentials, algorithms other than ES256', async () => {
    const { key, ctap1 } = softKey();
    const webauthn = client([ctap1]);
    expect(
      (await failure(webauthn.create(creation({ authenticatorSelection: { userVerification: 'required' } })))).reason,
    ).toBe('uv-required');
    expect(
      (await failure(webauthn.create(creation({ authenticatorSelection: { residentKey: 'required' } })))).reason,
    ).toBe('device-not-supported');
    expect(
      (await failure(webauthn.create(creation({ pubKeyCredParams: [{ type: 'public-key', alg: -8 }] })))).reason,
    ).toBe('device-not-supported');
    expect((await failure(webauthn.get({ challenge: CHALLENGE }))).reason).toBe('device-not-supported');
    expect(
      (
        await failure(
          webauthn.get({
            challenge: CHALLENGE,
            allowCredentials: [{ id: 'AAAA', type: 'public-key' }],
            userVerification: 'required',
          }),
        )
      ).reason,
    ).toBe('uv-required');
    expect(
      (await failure(webauthn.get({ challenge: CHALLENGE, allowCredentials: [{ id: 'AAAA', type: 'public-key' }] })))
        .reason,
    ).toBe('no-credentials');
    expect(key.registrations).toHaveLength(0);
  });

  it('lets a U2F key win the touch selection against a CTAP2 key nobody touches', async () => {
    const { key, ctap1 } = softKey();
    const idle = await openKey(virtualKey({ presence: neverTouch }));
    const registration = await client([idle, ctap1]).create(creation());
    expect(key.registrations.map((r) => toBase64Url(r.keyHandle))).toContain(registration.id);
    expect(idle.of(0x01)).toHaveLength(0);
  });
});

describe('U2F fallback replaying a YubiKey\u2019s recorded U2F answers', () => {
  // The recordings (libfido2's regress data) were made for rp "localhost" with libfido2's own client data hashes, so
  // the attestation signature covers their challenge, not this client's clientDataJSON: a verifier refuses them for
  // that alone. These tests check every byte this client builds around the key's answer (WebAuthn Level 3 section 8.6).
  const RECORDED_REGISTER_CDH = regressVector('regress/cred.c:cdh');
  const RECORDED_AUTH_CDH = regressVector('regress/assert.c:cdh');
  const APP = sha256('localhost');

  function recordedPayload(name: string): Uint8Array {
    const reports = recordedReports(name);
    const length = (reports[0]![5]! << 8) | reports[0]![6]!;
    return concatBytes(reports[0]!.subarray(7), ...reports.slice(1).map((r) => r.subarray(5))).subarray(0, length);
  }

  /** A HID key whose INIT says "no CBOR" (U2F-only) and which answers each MSG request with the next recording. */
  async function recordedU2fKey(answers: string[]) {
    const queue = [...answers];
    const conn = new ScriptedHidConnection((frame, c) => {
      if (readCid(frame) === 0xffffffff) {
        const init = recordedReports('WIREDATA_CTAP_INIT')[0]!.slice();
        init.set(frame.subarray(7, 15), 7);
        init[7 + 16] = 0x01;
        c.push(init);
      } else if (frame[4] === (0x80 | CtapHidCmd.MSG)) {
        const name = queue.shift();
        if (name) c.push(...recordedReports(name).map((r) => (writeCid(r, RECORDED_CID), r)));
      }
    });
    return CtapHidDevice.open(conn);
  }

  function localhostClient(device: CtapHidDevice) {
    return new WebAuthnClient({ origin: 'https://localhost', ui: new ScriptedUi(), devices: async () => [device] });
  }

  it('builds the fido-u2f attestation object from the recorded registration: authData, sig and x5c as section 8.6 says', async () => {
    const device = await recordedU2fKey(['WIREDATA_CTAP_U2F_REGISTER']);
    const registration = await localhostClient(device).create(
      creation({ rp: { id: 'localhost', name: 'Latchkey' }, extensions: {} }),
    );
    const raw = recordedPayload('WIREDATA_CTAP_U2F_REGISTER').subarray(0, -2);
    const point = raw.subarray(1, 66);
    const keyHandle = raw.subarray(67, 67 + 64);
    const certificate = raw.subarray(67 + 64, 67 + 64 + 595);
    const signature = raw.subarray(67 + 64 + 595);

    const attestation = decodeCbor(fromBase64Url(registration.response.attestationObject)) as CborMap;
    expect(attestation.get('fmt')).toBe('fido-u2f');
    const attStmt = attestation.get('attStmt') as CborMap;
    expect([...attStmt.keys()]).toEqual(['sig', 'x5c']);
    expect(toHex(attStmt.get('sig') as Uint8Array)).toBe(toHex(signature));
    expect((attStmt.get('x5c') as Uint8Array[]).map(toHex)).toEqual([toHex(certificate)]);
    const expectedAuthData = concatBytes(
      APP,
      Uint8Array.of(0x41),
      new Uint8Array(4),
      new Uint8Array(16),
      Uint8Array.of(0x00, 0x40),
      keyHandle,
      encodeCbor(u2fPublicKeyToCose(point)),
    );
    expect(toHex(attestation.get('authData') as Uint8Array)).toBe(toHex(expectedAuthData));
    expect(registration.id).toBe(toBase64Url(keyHandle));

    // The verification procedure's signed data, built from this authData, verifies with the recorded challenge.
    const signed = concatBytes(Uint8Array.of(0x00), APP, RECORDED_REGISTER_CDH, keyHandle, point);
    const { X509Certificate } = await import('node:crypto');
    expect(verify('sha256', signed, new X509Certificate(certificate).publicKey, signature)).toBe(true);
  });

  it('builds authenticator data from the recorded sign-in: rpIdHash, the user presence byte as flags, the counter', async () => {
    const device = await recordedU2fKey(['WIREDATA_CTAP_U2F_6985', 'WIREDATA_CTAP_U2F_AUTH']);
    const keyHandle = toBase64Url(new Uint8Array(64).fill(0xab));
    const assertion = await localhostClient(device).get({
      challenge: CHALLENGE,
      allowCredentials: [{ id: keyHandle, type: 'public-key' }],
    });
    const authData = fromBase64Url(assertion.response.authenticatorData);
    expect(toHex(authData)).toBe(toHex(concatBytes(APP, Uint8Array.of(0x01), Uint8Array.of(0, 0, 0, 0x2c))));
    expect(assertion.id).toBe(keyHandle);
    // What the key signed is authData || clientDataHash: with the recorded hash it verifies under the registered key.
    const publicKey = recordedPayload('WIREDATA_CTAP_U2F_REGISTER').subarray(1, 66);
    const { createPublicKey } = await import('node:crypto');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: toBase64Url(publicKey.subarray(1, 33)),
        y: toBase64Url(publicKey.subarray(33)),
      },
      format: 'jwk',
    });
    expect(
      verify('sha256', concatBytes(authData, RECORDED_AUTH_CDH), key, fromBase64Url(assertion.response.signature)),
    ).toBe(true);
    expect(
      createHash('sha256').update(fromBase64Url(assertion.response.clientDataJSON)).digest().equals(RECORDED_AUTH_CDH),
    ).toBe(false);
  });
});

describe('U2F fallback on the virtual key', () => {
  it('registers and signs in with the u2fOnly profile, verified by SimpleWebAuthn', async () => {
    const webauthn = client([new Ctap1(await openKey(virtualKey({ profile: 'u2fOnly' })), { pollIntervalMs: 10 })]);
    const registration = await webauthn.create(creation());
    const verified = await verifyRegistrationResponse({
      response: registration,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      requireUserVerification: false,
    });
    expect(verified.registrationInfo?.fmt).toBe('fido-u2f');
    const assertion = await webauthn.get({
      challenge: CHALLENGE,
      allowCredentials: [{ id: registration.id, type: 'public-key' }],
    });
    const login = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential: verified.registrationInfo!.credential,
      requireUserVerification: false,
    });
    expect(login.verified).toBe(true);
  });
});
