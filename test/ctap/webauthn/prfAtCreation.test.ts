// WebAuthn prf eval at create() through hmac-secret-mc on the ctap22 virtual key: results at once, equal to get()'s.

import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../src/ctap/bytes.js';
import type { CborMap } from '../../../src/ctap/cbor/index.js';
import { MakeCredentialParam } from '../../../src/ctap/ctap2/constants.js';
import type { WebAuthnExtensionInputs, WebAuthnExtensionOutputs } from '../../../src/ctap/webauthn/types.js';
import { Ctap2Cmd, PIN, RP_ID, ScriptedUi, client, openKey, setPin, virtualKey } from './support.js';

const text = (s: string) => toBase64Url(new TextEncoder().encode(s));

function creation(
  extensions: WebAuthnExtensionInputs,
  userVerification: 'discouraged' | 'required',
): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { id: RP_ID, name: 'Latchkey' },
    user: { id: toBase64Url(Uint8Array.of(9)), name: 'alice@example.com', displayName: 'Alice' },
    challenge: text('registration challenge'),
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey: 'discouraged', userVerification },
    extensions: extensions as PublicKeyCredentialCreationOptionsJSON['extensions'],
  };
}

function outputs(response: { clientExtensionResults: unknown }): WebAuthnExtensionOutputs {
  return response.clientExtensionResults as WebAuthnExtensionOutputs;
}

describe('prf eval at create() on a CTAP 2.2 key (hmac-secret-mc)', () => {
  it('returns prf results from create(), equal to what get() returns for the same inputs', async () => {
    const device = await openKey(virtualKey({ profile: 'ctap22' }));
    const webauthn = client([device]);
    const prf = { eval: { first: text('vault key'), second: text('next vault key') } };
    const registration = await webauthn.create(creation({ prf }, 'discouraged'));
    const created = outputs(registration).prf!;
    expect(created.enabled).toBe(true);
    expect(fromBase64Url(created.results!.first)).toHaveLength(32);
    expect(fromBase64Url(created.results!.second!)).toHaveLength(32);
    const sent = device.of(Ctap2Cmd.MAKE_CREDENTIAL).at(-1)!.params!.get(MakeCredentialParam.extensions) as CborMap;
    expect(sent.get('hmac-secret')).toBe(true);
    expect(sent.get('hmac-secret-mc')).toBeInstanceOf(Map);

    const assertion = await webauthn.get({
      challenge: text('login'),
      allowCredentials: [{ id: registration.id, type: 'public-key' }],
      userVerification: 'discouraged',
      extensions: { prf } as never,
    });
    expect(outputs(assertion).prf).toEqual({ results: created.results });
  });

  it('with user verification at both ends, the results still match (CredRandomWithUV both times)', async () => {
    const key = virtualKey({ profile: 'ctap22' });
    await setPin(key);
    const webauthn = client([await openKey(key)], new ScriptedUi([PIN, PIN]));
    const prf = { eval: { first: text('vault key') } };
    const registration = await webauthn.create(creation({ prf }, 'required'));
    const created = outputs(registration).prf!.results!.first;
    const get = (userVerification: 'discouraged' | 'required') =>
      webauthn.get({
        challenge: text('login'),
        allowCredentials: [{ id: registration.id, type: 'public-key' }],
        userVerification,
        extensions: { prf } as never,
      });
    expect(outputs(await get('required')).prf!.results!.first).toBe(created);
    expect(outputs(await get('discouraged')).prf!.results!.first).not.toBe(created);
  });
});
