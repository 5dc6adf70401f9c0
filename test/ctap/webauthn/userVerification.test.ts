// userVerification required / preferred / discouraged on virtual keys with no PIN, a PIN, a fingerprint and alwaysUv; PIN prompts, retries and blocked states.

import {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type UserVerificationRequirement,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../src/ctap/bytes.js';
import { parseAuthenticatorData } from '../../../src/ctap/ctap2/authenticatorData.js';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { MakeCredentialParam } from '../../../src/ctap/ctap2/constants.js';
import { ClientError } from '../../../src/ctap/errors.js';
import type { VirtualAuthenticatorState } from '../../../src/ctap/virtual/index.js';
import type { WebAuthnClient } from '../../../src/ctap/webauthn/WebAuthnClient.js';
import {
  Ctap2Cmd,
  FINGER,
  ORIGIN,
  PIN,
  RP_ID,
  ScriptedUi,
  client,
  enrolledBioKey,
  openKey,
  setPin,
  virtualKey,
} from './support.js';

const CHALLENGE = toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => 255 - i));

function creation(
  userVerification: UserVerificationRequirement,
  residentKey: 'required' | 'discouraged' = 'discouraged',
): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { id: RP_ID, name: 'Latchkey' },
    user: { id: toBase64Url(Uint8Array.of(9, 9)), name: 'alice@example.com', displayName: 'Alice' },
    challenge: CHALLENGE,
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey, userVerification },
  };
}

function uvFlag(authenticatorData: string): boolean {
  return parseAuthenticatorData(fromBase64Url(authenticatorData)).flags.uv;
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

/** Registers a non-discoverable credential without verification and returns a get() for it at `uv`. */
async function registered(webauthn: WebAuthnClient) {
  const registration = await webauthn.create(creation('discouraged'));
  return (userVerification: UserVerificationRequirement) =>
    webauthn.get({
      challenge: CHALLENGE,
      allowCredentials: [{ id: registration.id, type: 'public-key' }],
      userVerification,
    });
}

describe('userVerification discouraged', () => {
  it('never asks for a PIN or sends a ClientPIN command, and the key verifies no one', async () => {
    const device = await openKey(virtualKey());
    const ui = new ScriptedUi();
    const get = await registered(client([device], ui));
    const assertion = await get('discouraged');
    expect(uvFlag(assertion.response.authenticatorData)).toBe(false);
    expect(ui.pinRequests).toEqual([]);
    expect(device.of(Ctap2Cmd.CLIENT_PIN)).toEqual([]);
  });

  it('asks for no PIN on a PIN-protected key where the key allows it: a non-discoverable credential (makeCredUvNotRqd) and a sign-in', async () => {
    const key = virtualKey();
    await setPin(key);
    const ui = new ScriptedUi();
    const get = await registered(client([await openKey(key)], ui));
    expect(uvFlag((await get('discouraged')).response.authenticatorData)).toBe(false);
    expect(ui.pinRequests).toEqual([]);
  });

  it('asks with reason pin-required where the key insists: a passkey on a PIN-protected key', async () => {
    const key = virtualKey();
    await setPin(key);
    const ui = new ScriptedUi([PIN]);
    const registration = await client([await openKey(key)], ui).create(creation('discouraged', 'required'));
    expect(ui.pinRequests.map((r) => r.reason)).toEqual(['pin-required']);
    expect(uvFlag(registration.response.authenticatorData!)).toBe(true);
  });

  it('asks with reason pin-required on an alwaysUv key, even to sign in', async () => {
    const fresh = virtualKey();
    await setPin(fresh);
    const key = virtualKey({ state: { ...fresh.toJSON(), alwaysUv: true } as VirtualAuthenticatorState });
    const ui = new ScriptedUi([PIN, PIN]);
    const get = await registered(client([await openKey(key)], ui));
    expect(uvFlag((await get('discouraged')).response.authenticatorData)).toBe(true);
    expect(ui.pinRequests.map((r) => r.reason)).toEqual(['pin-required', 'pin-required']);
  });
});

describe('userVerification preferred', () => {
  it('asks nothing of a key that has no PIN or fingerprint set up', async () => {
    const ui = new ScriptedUi();
    const registration = await client([await openKey(virtualKey())], ui).create(creation('preferred'));
    expect(uvFlag(registration.response.authenticatorData!)).toBe(false);
    expect(ui.pinRequests).toEqual([]);
  });

  it('asks for the PIN (reason uv-preferred) of a key that has one', async () => {
    const key = virtualKey();
    await setPin(key);
    const ui = new ScriptedUi([PIN]);
    const registration = await client([await openKey(key)], ui).create(creation('preferred'));
    expect(uvFlag(registration.response.authenticatorData!)).toBe(true);
    expect(ui.pinRequests.map((r) => r.reason)).toEqual(['uv-preferred']);
  });
});

describe('userVerification required', () => {
  it('fails with uv-required on a key with neither PIN nor built-in UV, before any prompt or touch', async () => {
    const device = await openKey(virtualKey());
    const ui = new ScriptedUi();
    const error = await failure(client([device], ui).create(creation('required')));
    expect(error.reason).toBe('uv-required');
    expect(error.message).toBe(
      'The relying party requires user verification, but the key has no PIN set: set a PIN on the key first.',
    );
    expect(ui.pinRequests).toEqual([]);
    expect(ui.touches).toEqual([]);
    expect(device.of(Ctap2Cmd.MAKE_CREDENTIAL)).toEqual([]);
  });

  it('uses the PIN: a token for mc bound to the RP ID, pinUvAuthParam on the request, UV that SimpleWebAuthn requires', async () => {
    const key = virtualKey();
    await setPin(key);
    const device = await openKey(key);
    const ui = new ScriptedUi([PIN, PIN]);
    const webauthn = client([device], ui);
    const registration = await webauthn.create(creation('required'));
    expect(ui.pinRequests).toEqual([{ reason: 'uv-required', retriesLeft: 8, minPinLength: 4, rpId: RP_ID }]);
    const tokenRequest = device
      .of(Ctap2Cmd.CLIENT_PIN)
      .find(
        (r) => r.params?.get(ClientPin.PARAM.subCommand) === ClientPin.CMD.getPinUvAuthTokenUsingPinWithPermissions,
      );
    expect(tokenRequest?.params?.get(ClientPin.PARAM.permissions)).toBe(ClientPin.PERMISSION.mc);
    expect(tokenRequest?.params?.get(ClientPin.PARAM.rpId)).toBe(RP_ID);
    const made = device.of(Ctap2Cmd.MAKE_CREDENTIAL)[0]!.params!;
    expect((made.get(MakeCredentialParam.pinUvAuthParam) as Uint8Array).length).toBe(32);
    expect(made.get(MakeCredentialParam.pinUvAuthProtocol)).toBe(2);
    const verified = await verifyRegistrationResponse({
      response: registration,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
    });
    expect(verified.verified).toBe(true);

    const assertion = await webauthn.get({
      challenge: CHALLENGE,
      allowCredentials: [{ id: registration.id, type: 'public-key' }],
      userVerification: 'required',
    });
    const login = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: CHALLENGE,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential: verified.registrationInfo!.credential,
    });
    expect(login.authenticationInfo.userVerified).toBe(true);
  });

  it('asks again after a wrong PIN with reason pin-invalid and one attempt fewer', async () => {
    const key = virtualKey();
    await setPin(key);
    const ui = new ScriptedUi(['0000', PIN]);
    await client([await openKey(key)], ui).create(creation('required'));
    expect(ui.pinRequests.map((r) => [r.reason, r.retriesLeft])).toEqual([
      ['uv-required', 8],
      ['pin-invalid', 7],
    ]);
  });

  it('asks again without spending an attempt when the PIN breaks the rules (too short)', async () => {
    const key = virtualKey();
    await setPin(key);
    const ui = new ScriptedUi(['12', PIN]);
    await client([await openKey(key)], ui).create(creation('required'));
    expect(ui.pinRequests.map((r) => [r.reason, r.retriesLeft])).toEqual([
      ['uv-required', 8],
      ['pin-format', 8],
    ]);
  });

  it('ends with cancelled when the user dismisses the PIN prompt, before the key is asked to make anything', async () => {
    const key = virtualKey();
    await setPin(key);
    const device = await openKey(key);
    expect((await failure(client([device], new ScriptedUi([undefined])).create(creation('required')))).reason).toBe(
      'cancelled',
    );
    expect(device.of(Ctap2Cmd.MAKE_CREDENTIAL)).toEqual([]);
  });

  it('surfaces pin-auth-blocked after three wrong PINs in a row, and pin-blocked once every attempt is spent', async () => {
    const key = virtualKey();
    await setPin(key);
    const device = await openKey(key);
    const wrong = new ScriptedUi(Array.from({ length: 20 }, () => '0000'));
    const first = await failure(client([device], wrong).create(creation('required')));
    expect(first.reason).toBe('pin-auth-blocked');
    const reasons = [first.reason];
    while (reasons.at(-1) !== 'pin-blocked' && reasons.length < 6) {
      key.reboot();
      reasons.push((await failure(client([device], wrong).create(creation('required')))).reason);
    }
    expect(reasons).toEqual(['pin-auth-blocked', 'pin-auth-blocked', 'pin-blocked']);
    // A blocked PIN is refused without asking the user for another.
    const asked = wrong.pinRequests.length;
    key.reboot();
    expect((await failure(client([device], wrong).create(creation('required')))).reason).toBe('pin-blocked');
    expect(wrong.pinRequests).toHaveLength(asked);
  });

  it('uses the fingerprint of a bio key: no PIN asked, the wait announced as fingerprint, UV in the answer', async () => {
    const slowFinger = () =>
      new Promise<{ approve: boolean; finger: string }>((resolve) =>
        setTimeout(() => resolve({ approve: true, finger: FINGER }), 60),
      );
    const device = await openKey(await enrolledBioKey({ presence: slowFinger }));
    const ui = new ScriptedUi();
    const registration = await client([device], ui).create(creation('required'));
    expect(uvFlag(registration.response.authenticatorData!)).toBe(true);
    expect(ui.pinRequests).toEqual([]);
    expect(ui.touches).toContainEqual({ purpose: 'fingerprint' });
    const tokenRequest = device
      .of(Ctap2Cmd.CLIENT_PIN)
      .find((r) => r.params?.get(ClientPin.PARAM.subCommand) === ClientPin.CMD.getPinUvAuthTokenUsingUvWithPermissions);
    expect(tokenRequest?.params?.get(ClientPin.PARAM.rpId)).toBe(RP_ID);
  });

  it('asks for the finger again after a mismatch, telling the UI the attempts left', async () => {
    const fingers = ['left-thumb', FINGER];
    const key = await enrolledBioKey({ presence: async () => ({ approve: true, finger: fingers.shift() ?? FINGER }) });
    const ui = new ScriptedUi();
    const registration = await client([await openKey(key)], ui).create(creation('required'));
    expect(uvFlag(registration.response.authenticatorData!)).toBe(true);
    expect(ui.uvRetries).toEqual([{ retriesLeft: 7 }]);
  });

  it('uses the uv option on a key with built-in UV but no pinUvAuthToken (CTAP 2.0), retrying after a mismatch', async () => {
    const fingers = ['left-thumb', FINGER];
    const device = await openKey(
      await enrolledBioKey({ presence: async () => ({ approve: true, finger: fingers.shift() ?? FINGER }) }),
    );
    const real = await Ctap2.create(device);
    const options = new Map(real.info.options);
    options.delete('pinUvAuthToken');
    const ctap20 = await Ctap2.create(device, { info: { ...real.info, options } });
    const ui = new ScriptedUi();
    const registration = await client([ctap20], ui).create(creation('required'));
    expect(uvFlag(registration.response.authenticatorData!)).toBe(true);
    const made = device.of(Ctap2Cmd.MAKE_CREDENTIAL);
    expect(made.map((r) => r.params?.get(MakeCredentialParam.options))).toEqual([
      new Map([['uv', true]]),
      new Map([['uv', true]]),
    ]);
    expect(made[1]!.params!.has(MakeCredentialParam.pinUvAuthParam)).toBe(false);
    expect(ui.uvRetries).toHaveLength(1);
    expect(ui.pinRequests).toEqual([]);
  });

  it('falls back to the PIN (reason uv-fallback) when the fingerprint is blocked', async () => {
    const enrolled = await enrolledBioKey();
    await setPin(enrolled);
    const key = virtualKey({
      profile: 'yubikeyBio',
      state: { ...enrolled.toJSON(), uvRetries: 0 } as VirtualAuthenticatorState,
    });
    const ui = new ScriptedUi([PIN]);
    const registration = await client([await openKey(key)], ui).create(creation('required'));
    expect(uvFlag(registration.response.authenticatorData!)).toBe(true);
    expect(ui.pinRequests.map((r) => r.reason)).toEqual(['uv-fallback']);
  });
});
