// Client extensions through WebAuthnClient on virtual keys: prf and hmac-secret, credProtect, minPinLength, and what keys without them get.

import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../src/ctap/bytes.js';
import type { CborMap } from '../../../src/ctap/cbor/index.js';
import { parseAuthenticatorData } from '../../../src/ctap/ctap2/authenticatorData.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { GetAssertionParam, MakeCredentialParam } from '../../../src/ctap/ctap2/constants.js';
import { prfSalt } from '../../../src/ctap/ctap2/extensions/hmacSecret.js';
import { ClientError } from '../../../src/ctap/errors.js';
import type { WebAuthnExtensionInputs, WebAuthnExtensionOutputs } from '../../../src/ctap/webauthn/types.js';
import {
  Ctap2Cmd,
  PIN,
  RP_ID,
  ScriptedUi,
  client,
  openKey,
  setPin,
  virtualKey,
  type RecordingDevice,
} from './support.js';

const text = (s: string) => toBase64Url(new TextEncoder().encode(s));

function creation(
  extensions: WebAuthnExtensionInputs,
  residentKey: 'required' | 'discouraged' = 'discouraged',
): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { id: RP_ID, name: 'Latchkey' },
    user: { id: toBase64Url(Uint8Array.of(5)), name: 'alice@example.com', displayName: 'Alice' },
    challenge: text('registration challenge'),
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey, userVerification: 'discouraged' },
    extensions: extensions as PublicKeyCredentialCreationOptionsJSON['extensions'],
  };
}

function outputs(response: { clientExtensionResults: unknown }): WebAuthnExtensionOutputs {
  return response.clientExtensionResults as WebAuthnExtensionOutputs;
}

function sent(device: RecordingDevice, cmd: number): CborMap | undefined {
  return device
    .of(cmd)
    .at(-1)
    ?.params?.get(cmd === Ctap2Cmd.MAKE_CREDENTIAL ? MakeCredentialParam.extensions : GetAssertionParam.extensions) as
    CborMap | undefined;
}

/** The same key seen through a getInfo that lists none of these extensions. */
async function withoutExtensions(device: RecordingDevice, ...hidden: string[]): Promise<Ctap2> {
  const real = await Ctap2.create(device);
  return Ctap2.create(device, {
    info: { ...real.info, extensions: real.info.extensions.filter((e) => !hidden.includes(e)) },
  });
}

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return (error as ClientError).reason;
}

describe('prf and hmac-secret', () => {
  async function setup() {
    const device = await openKey(virtualKey());
    const webauthn = client([device]);
    const registration = await webauthn.create(creation({ prf: {} }));
    const get = (
      extensions: WebAuthnExtensionInputs,
      ids: string[] = [registration.id],
      uv: 'discouraged' | 'required' = 'discouraged',
    ) =>
      webauthn.get({
        challenge: text('login'),
        allowCredentials: ids.map((id) => ({ id, type: 'public-key' })),
        userVerification: uv,
        extensions: extensions as never,
      });
    return { device, webauthn, registration, get };
  }

  it('turns prf at creation into hmac-secret: true and reports prf.enabled', async () => {
    const { device, registration } = await setup();
    expect(outputs(registration).prf).toEqual({ enabled: true });
    expect(sent(device, Ctap2Cmd.MAKE_CREDENTIAL)?.get('hmac-secret')).toBe(true);
  });

  it('evaluates prf: 32-byte results in base64url, the same for the same input, different for another, two for two inputs', async () => {
    const { get } = await setup();
    const first = outputs(await get({ prf: { eval: { first: text('vault key') } } })).prf!.results!;
    expect(fromBase64Url(first.first)).toHaveLength(32);
    expect(first.second).toBeUndefined();
    const again = outputs(await get({ prf: { eval: { first: text('vault key') } } })).prf!.results!;
    expect(again.first).toBe(first.first);
    const both = outputs(await get({ prf: { eval: { first: text('other'), second: text('vault key') } } })).prf!
      .results!;
    expect(both.first).not.toBe(first.first);
    expect(both.second).toBe(first.first);
  });

  it('hashes prf inputs into hmac-secret salts: hmacGetSecret with SHA-256("WebAuthn PRF" || 0 || input) gives the same secret', async () => {
    const { get } = await setup();
    const prf = outputs(await get({ prf: { eval: { first: text('vault key') } } })).prf!.results!.first;
    const raw = outputs(
      await get({ hmacGetSecret: { salt1: toBase64Url(prfSalt(new TextEncoder().encode('vault key'))) } }),
    ).hmacGetSecret!;
    expect(raw.output1).toBe(prf);
  });

  it('uses evalByCredential for the named credential, probing a longer allow list (up:false) to learn which one the key holds', async () => {
    const { device, registration, get } = await setup();
    const first = (response: { clientExtensionResults: unknown }) => outputs(response).prf!.results!.first;
    const a = first(await get({ prf: { eval: { first: text('A') } } }));
    const b = first(await get({ prf: { eval: { first: text('B') } } }));
    expect(
      first(
        await get({
          prf: { eval: { first: text('A') }, evalByCredential: { [registration.id]: { first: text('B') } } },
        }),
      ),
    ).toBe(b);
    const foreign = toBase64Url(new Uint8Array(62).fill(7));
    device.requests.length = 0;
    const probed = await get(
      {
        prf: {
          eval: { first: text('A') },
          evalByCredential: { [foreign]: { first: text('C') }, [registration.id]: { first: text('B') } },
        },
      },
      [foreign, registration.id],
    );
    expect(first(probed)).toBe(b);
    expect(first(probed)).not.toBe(a);
    const requests = device.of(Ctap2Cmd.GET_ASSERTION);
    expect(requests.map((r) => r.params?.get(GetAssertionParam.options))).toEqual([
      new Map([['up', false]]),
      undefined,
    ]);
  });

  it('gives another secret with user verification than without (CredRandomWithUV)', async () => {
    const key = virtualKey();
    await setPin(key);
    const webauthn = client([await openKey(key)], new ScriptedUi([PIN]));
    const registration = await webauthn.create(creation({ prf: {} }));
    const get = (uv: 'discouraged' | 'required') =>
      webauthn.get({
        challenge: text('x'),
        allowCredentials: [{ id: registration.id, type: 'public-key' }],
        userVerification: uv,
        extensions: { prf: { eval: { first: text('k') } } } as never,
      });
    const without = outputs(await get('discouraged')).prf!.results!.first;
    const withUv = outputs(await get('required')).prf!.results!.first;
    expect(withUv).not.toBe(without);
  });

  it('refuses prf with hmacGetSecret, evalByCredential for a credential not allowed, and salts that are not 32 bytes', async () => {
    const { get } = await setup();
    expect(
      await reason(get({ prf: { eval: { first: 'AA' } }, hmacGetSecret: { salt1: toBase64Url(new Uint8Array(32)) } })),
    ).toBe('bad-request');
    expect(await reason(get({ prf: { evalByCredential: { AAAA: { first: 'AA' } } } }))).toBe('bad-request');
    expect(await reason(get({ hmacGetSecret: { salt1: toBase64Url(new Uint8Array(31)) } }))).toBe('bad-request');
  });

  it('reports hmacCreateSecret, and prf.enabled false with no hmac-secret sent to a key without it', async () => {
    const device = await openKey(virtualKey());
    const made = await client([device]).create(creation({ hmacCreateSecret: true }));
    expect(outputs(made).hmacCreateSecret).toBe(true);
    const plain = await withoutExtensions(device, 'hmac-secret');
    const registration = await client([plain]).create(creation({ prf: {}, hmacCreateSecret: true }));
    expect(outputs(registration)).toEqual({ prf: { enabled: false }, hmacCreateSecret: false });
    expect(sent(device, Ctap2Cmd.MAKE_CREDENTIAL)).toBeUndefined();
    const assertion = await client([plain]).get({
      challenge: 'AAAA',
      allowCredentials: [{ id: registration.id, type: 'public-key' }],
      extensions: { prf: { eval: { first: 'AA' } } } as never,
      userVerification: 'discouraged',
    });
    expect(outputs(assertion)).toEqual({ prf: {} });
  });
});

describe('credProtect', () => {
  it('applies credentialProtectionPolicy: a userVerificationRequired credential is invisible to a sign-in without UV', async () => {
    const device = await openKey(virtualKey());
    const webauthn = client([device]);
    const registration = await webauthn.create(
      creation({ credentialProtectionPolicy: 'userVerificationRequired', enforceCredentialProtectionPolicy: true }),
    );
    expect(sent(device, Ctap2Cmd.MAKE_CREDENTIAL)?.get('credProtect')).toBe(3);
    const authData = parseAuthenticatorData(fromBase64Url(registration.response.authenticatorData!));
    expect(authData.extensions?.get('credProtect')).toBe(3);
    const get = webauthn.get({
      challenge: 'AAAA',
      allowCredentials: [{ id: registration.id, type: 'public-key' }],
      userVerification: 'discouraged',
    });
    expect(await reason(get)).toBe('no-credentials');
  });

  it('refuses an enforced policy on a key without credProtect before anything is made, and drops an unenforced one', async () => {
    const device = await openKey(virtualKey());
    const plain = await withoutExtensions(device, 'credProtect');
    const enforced = client([plain]).create(
      creation({ credentialProtectionPolicy: 'userVerificationRequired', enforceCredentialProtectionPolicy: true }),
    );
    expect(await reason(enforced)).toBe('device-not-supported');
    expect(device.of(Ctap2Cmd.MAKE_CREDENTIAL)).toEqual([]);
    await client([plain]).create(creation({ credentialProtectionPolicy: 'userVerificationRequired' }));
    expect(sent(device, Ctap2Cmd.MAKE_CREDENTIAL)).toBeUndefined();
  });
});

describe('minPinLength', () => {
  it('asks a key that has the extension for its minimum PIN length', async () => {
    const device = await openKey(virtualKey());
    await client([device]).create(creation({ minPinLength: true }));
    expect(sent(device, Ctap2Cmd.MAKE_CREDENTIAL)?.get('minPinLength')).toBe(true);
  });
});
