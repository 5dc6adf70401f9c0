// Tampered and misdirected WebAuthn responses: each is refused with a reason that names what is wrong.

import { createHash, randomBytes } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor, type CborInput, type CborMap } from '../../../src/ctap/cbor/index.js';
import type { RelyingParty } from '../../../src/main/rp/index.js';
import type { UserVerificationPolicy } from '../../../src/main/rp/index.js';
import { createCredential, getAssertion, openTestKey, type TestKey } from '../../support/webauthnResponses.js';
import {
  EMAIL,
  PASSWORD,
  expectRefusal,
  newAccount,
  openRp,
  registerKey,
  type FakeClock,
  useTempDirs,
} from './fixture.js';

const tempDir = useTempDirs();

interface Scene {
  rp: RelyingParty;
  clock: FakeClock;
  userId: string;
  recoveryCode: string;
  key: TestKey;
  /** The key's registered credential ID (sign-in cases only). */
  credentialId: string;
}

interface Case {
  name: string;
  reason: string;
  /** What the refusal must name. */
  message: RegExp;
  /** Register the key before the case runs (sign-in cases). */
  registered?: boolean;
  policy?: UserVerificationPolicy;
  pin?: string;
  algorithms?: number[];
  run(scene: Scene): Promise<unknown>;
}

async function scene(c: Case): Promise<Scene> {
  const { rp, clock } = await openRp(await tempDir(), c.algorithms ? { algorithms: c.algorithms } : {});
  if (c.policy) await rp.updateSettings({ userVerification: c.policy });
  const { user, recoveryCode } = await newAccount(rp);
  const key = await openTestKey({ pin: c.pin });
  const credentialId = c.registered ? (await registerKey(rp, user.id, key)).id : '';
  return { rp, clock, userId: user.id, recoveryCode, key, credentialId };
}

// Registration helpers: a response for fresh options, and ways to spoil one after the key signed it.
async function registration(
  s: Scene,
  overrides: Parameters<typeof createCredential>[2] = {},
): Promise<RegistrationResponseJSON> {
  return createCredential(s.key, await s.rp.startKeyRegistration({ userId: s.userId }), overrides);
}

function finishRegistration(s: Scene, response: unknown) {
  return s.rp.finishKeyRegistration({ response });
}

function editAttestation(response: RegistrationResponseJSON, edit: (att: CborMap) => void): RegistrationResponseJSON {
  const att = decodeCbor(Buffer.from(response.response.attestationObject, 'base64url')) as CborMap;
  edit(att);
  const encoded = encodeCbor(att as ReadonlyMap<string, CborInput>);
  return {
    ...response,
    response: { ...response.response, attestationObject: Buffer.from(encoded).toString('base64url') },
  };
}

function flipBit(bytes: Uint8Array, index: number, mask: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index]! ^= mask;
  return copy;
}

function editClientData(
  response: { response: { clientDataJSON: string } },
  edit: (data: Record<string, unknown>) => Record<string, unknown>,
): string {
  const data = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  return Buffer.from(JSON.stringify(edit(data))).toString('base64url');
}

// Sign-in helpers: options after the password, and an assertion for them.
async function signInOptions(s: Scene): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const step = await s.rp.signInWithPassword({ email: EMAIL, password: PASSWORD });
  if (step.status !== 'key-required') throw new Error(`expected a key step, got ${step.status}`);
  return step.options;
}

async function assertion(
  s: Scene,
  overrides: Parameters<typeof getAssertion>[2] = {},
): Promise<AuthenticationResponseJSON> {
  return getAssertion(s.key, await signInOptions(s), overrides);
}

function finishSignIn(s: Scene, response: unknown) {
  return s.rp.finishKeySignIn({ response });
}

function withResponse(
  a: AuthenticationResponseJSON,
  change: Partial<AuthenticationResponseJSON['response']>,
): AuthenticationResponseJSON {
  return { ...a, response: { ...a.response, ...change } };
}

function editAuthData(
  a: AuthenticationResponseJSON,
  edit: (bytes: Uint8Array) => Uint8Array,
): AuthenticationResponseJSON {
  return withResponse(a, {
    authenticatorData: Buffer.from(edit(Buffer.from(a.response.authenticatorData, 'base64url'))).toString('base64url'),
  });
}

const evilHash = createHash('sha256').update('evil.example').digest();
const randomId = () => randomBytes(32).toString('base64url');

const registrationCases: Case[] = [
  {
    name: 'wrong origin',
    reason: 'origin-mismatch',
    message: /origin is "https:\/\/evil\.example", expected "https:\/\/latchkey\.localhost"/,
    run: async (s) => finishRegistration(s, await registration(s, { origin: 'https://evil.example' })),
  },
  {
    name: 'wrong clientData type',
    reason: 'type-mismatch',
    message: /type is "webauthn\.get", expected "webauthn\.create"/,
    run: async (s) => finishRegistration(s, await registration(s, { type: 'webauthn.get' })),
  },
  {
    name: 'reused challenge',
    reason: 'challenge-reused',
    message: /already used/,
    run: async (s) => {
      const response = await registration(s);
      await finishRegistration(s, response);
      return finishRegistration(s, response);
    },
  },
  {
    name: 'expired challenge',
    reason: 'challenge-expired',
    message: /expired 1 s ago; it was good for 120 s/,
    run: async (s) => {
      const options = await s.rp.startKeyRegistration({ userId: s.userId });
      s.clock.advance(121_000);
      return finishRegistration(s, await createCredential(s.key, options));
    },
  },
  {
    name: 'unknown challenge',
    reason: 'challenge-unknown',
    message: /not issued by this relying party/,
    run: async (s) => finishRegistration(s, await registration(s, { challenge: randomId() })),
  },
  {
    name: 'challenge of another ceremony (recovery)',
    reason: 'challenge-wrong-ceremony',
    message: /issued for recovery, expected a registration challenge/,
    run: async (s) =>
      finishRegistration(
        s,
        await createCredential(
          s.key,
          await s.rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode: s.recoveryCode }),
        ),
      ),
  },
  {
    name: 'wrong rpIdHash',
    reason: 'rp-id-mismatch',
    message: /rpIdHash .* expected SHA-256\("latchkey\.localhost"\)/,
    run: async (s) => finishRegistration(s, await registration(s, { rpId: 'evil.example' })),
  },
  {
    name: 'UP flag cleared',
    reason: 'user-presence-missing',
    message: /UP flag clear/,
    run: async (s) =>
      finishRegistration(
        s,
        editAttestation(await registration(s), (att) =>
          att.set('authData', flipBit(att.get('authData') as Uint8Array, 32, 0x01)),
        ),
      ),
  },
  {
    name: 'UV missing under "required"',
    reason: 'user-verification-missing',
    message: /policy is "required" .* UV flag clear/,
    policy: 'required',
    run: async (s) => finishRegistration(s, await registration(s)),
  },
  {
    name: 'disallowed algorithm',
    reason: 'algorithm-not-allowed',
    message: /COSE algorithm -8 \(EdDSA\), expected one of -7 \(ES256\)/,
    algorithms: [-7],
    run: async (s) => finishRegistration(s, await registration(s, { alg: -8 })),
  },
  {
    name: 'attestation signature altered',
    reason: 'attestation-invalid',
    message: /"packed" attestation statement does not verify/,
    run: async (s) =>
      finishRegistration(
        s,
        editAttestation(await registration(s), (att) => {
          const stmt = att.get('attStmt') as CborMap;
          const sig = stmt.get('sig') as Uint8Array;
          stmt.set('sig', flipBit(sig, sig.length - 1, 0x01));
        }),
      ),
  },
  {
    name: 'attestation format replaced',
    reason: 'attestation-invalid',
    message: /Unsupported Attestation Format: made-up/,
    run: async (s) =>
      finishRegistration(
        s,
        editAttestation(await registration(s), (att) => att.set('fmt', 'made-up')),
      ),
  },
  {
    name: 'clientDataJSON tampered after signing',
    reason: 'attestation-invalid',
    message: /does not verify over the authenticator data and clientDataJSON/,
    run: async (s) => {
      const response = await registration(s);
      return finishRegistration(s, {
        ...response,
        response: { ...response.response, clientDataJSON: editClientData(response, (d) => ({ ...d, extra: 'x' })) },
      });
    },
  },
  {
    name: 'authData tampered after signing (BE flag)',
    reason: 'attestation-invalid',
    message: /does not verify/,
    run: async (s) =>
      finishRegistration(
        s,
        editAttestation(await registration(s), (att) =>
          att.set('authData', flipBit(att.get('authData') as Uint8Array, 32, 0x08)),
        ),
      ),
  },
  {
    name: 'clientDataJSON not JSON',
    reason: 'client-data-invalid',
    message: /clientDataJSON is not UTF-8 JSON/,
    run: async (s) => {
      const response = await registration(s);
      return finishRegistration(s, {
        ...response,
        response: { ...response.response, clientDataJSON: Buffer.from('{"type":').toString('base64url') },
      });
    },
  },
  {
    name: 'attestationObject not CBOR',
    reason: 'attestation-invalid',
    message: /attestationObject is not CBOR/,
    run: async (s) => {
      const response = await registration(s);
      return finishRegistration(s, {
        ...response,
        response: { ...response.response, attestationObject: Buffer.from([0xa3, 0x63]).toString('base64url') },
      });
    },
  },
  {
    name: 'id differs from rawId',
    reason: 'response-malformed',
    message: /has id ".*" but rawId ".*"/,
    run: async (s) => finishRegistration(s, { ...(await registration(s)), rawId: randomId() }),
  },
  {
    name: 'credential ID not the one in authData',
    reason: 'authenticator-data-invalid',
    message: /authenticator data holds credential ID ".*" but the response says/,
    run: async (s) => {
      const other = randomId();
      return finishRegistration(s, { ...(await registration(s)), id: other, rawId: other });
    },
  },
  {
    name: 'credential type not public-key',
    reason: 'response-malformed',
    message: /credential type "password", expected "public-key"/,
    run: async (s) => finishRegistration(s, { ...(await registration(s)), type: 'password' }),
  },
  {
    name: 'cross-origin iframe',
    reason: 'cross-origin',
    message: /cross-origin \(top origin "https:\/\/evil\.example"\)/,
    run: async (s) =>
      finishRegistration(s, await registration(s, { crossOrigin: true, topOrigin: 'https://evil.example' })),
  },
  {
    name: 'attestationObject missing',
    reason: 'response-malformed',
    message: /malformed at response\.attestationObject/,
    run: async (s) => {
      const response = await registration(s);
      return finishRegistration(s, { ...response, response: { clientDataJSON: response.response.clientDataJSON } });
    },
  },
];

const signInCases: Case[] = [
  {
    name: 'wrong origin',
    reason: 'origin-mismatch',
    message: /origin is "http:\/\/latchkey\.localhost"/,
    registered: true,
    run: async (s) => finishSignIn(s, await assertion(s, { origin: 'http://latchkey.localhost' })),
  },
  {
    name: 'wrong clientData type',
    reason: 'type-mismatch',
    message: /type is "webauthn\.create", expected "webauthn\.get"/,
    registered: true,
    run: async (s) => finishSignIn(s, await assertion(s, { type: 'webauthn.create' })),
  },
  {
    name: 'reused challenge (replayed assertion)',
    reason: 'challenge-reused',
    message: /already used by a second-factor response/,
    registered: true,
    run: async (s) => {
      const response = await assertion(s);
      await finishSignIn(s, response);
      return finishSignIn(s, response);
    },
  },
  {
    name: 'expired challenge',
    reason: 'challenge-expired',
    message: /challenge expired/,
    registered: true,
    run: async (s) => {
      const options = await signInOptions(s);
      s.clock.advance(10 * 60_000);
      return finishSignIn(s, await getAssertion(s.key, options));
    },
  },
  {
    name: 'unknown challenge',
    reason: 'challenge-unknown',
    message: /not issued/,
    registered: true,
    run: async (s) => finishSignIn(s, await assertion(s, { challenge: randomId() })),
  },
  {
    name: 'registration challenge answered by an assertion',
    reason: 'challenge-wrong-ceremony',
    message: /issued for registration, expected a second-factor or passwordless challenge/,
    registered: true,
    run: async (s) => {
      const registrationOptions = await s.rp.startKeyRegistration({ userId: s.userId });
      return finishSignIn(s, await assertion(s, { challenge: registrationOptions.challenge }));
    },
  },
  {
    name: 'wrong rpIdHash',
    reason: 'rp-id-mismatch',
    message: /rpIdHash/,
    registered: true,
    run: async (s) =>
      finishSignIn(
        s,
        editAuthData(await assertion(s), (b) => (b.set(evilHash, 0), b)),
      ),
  },
  {
    name: 'UP missing (silent assertion)',
    reason: 'user-presence-missing',
    message: /UP flag clear: nobody touched the key/,
    registered: true,
    run: async (s) => finishSignIn(s, await assertion(s, { up: false })),
  },
  {
    name: 'UV missing under "required"',
    reason: 'user-verification-missing',
    message: /UV flag clear/,
    registered: true,
    policy: 'required',
    pin: '4321',
    run: async (s) => finishSignIn(s, await assertion(s, { uv: false })),
  },
  {
    name: 'revoked credential',
    reason: 'credential-revoked',
    message: /"Old key" .* was revoked on 2025-03-01/,
    registered: true,
    run: async (s) => {
      const spare = await openTestKey();
      const old = await registerKey(s.rp, s.userId, spare, {}, 'Old key');
      await s.rp.revokeKey({ userId: s.userId, credentialId: old.id, confirm: true });
      const options = await signInOptions(s);
      return finishSignIn(
        s,
        await getAssertion(spare, { ...options, allowCredentials: [{ id: old.id, type: 'public-key' }] }),
      );
    },
  },
  {
    name: 'unknown credential',
    reason: 'credential-unknown',
    message: /no key with credential ID .* is registered here/,
    registered: true,
    run: async (s) => {
      const id = randomId();
      return finishSignIn(s, { ...(await assertion(s)), id, rawId: id });
    },
  },
  {
    name: 'wrong user handle',
    reason: 'user-handle-mismatch',
    message: /userHandle .* is not the user handle of the key's account/,
    registered: true,
    run: async (s) => finishSignIn(s, withResponse(await assertion(s), { userHandle: randomId() })),
  },
  {
    name: 'bad signature',
    reason: 'signature-invalid',
    message: /signature does not verify with the public key of "YubiKey 5 Series"/,
    registered: true,
    run: async (s) => {
      const a = await assertion(s);
      const sig = Buffer.from(a.response.signature, 'base64url');
      return finishSignIn(
        s,
        withResponse(a, { signature: Buffer.from(flipBit(sig, sig.length - 1, 0x01)).toString('base64url') }),
      );
    },
  },
  {
    name: 'clientDataJSON tampered after signing',
    reason: 'signature-invalid',
    message: /over the authenticator data and clientDataJSON/,
    registered: true,
    run: async (s) => {
      const a = await assertion(s);
      return finishSignIn(
        s,
        withResponse(a, {
          clientDataJSON: editClientData(a, (d) => ({ ...d, tokenBinding: { status: 'supported' } })),
        }),
      );
    },
  },
  {
    name: 'authData tampered after signing (BE flag)',
    reason: 'signature-invalid',
    message: /does not verify/,
    registered: true,
    run: async (s) =>
      finishSignIn(
        s,
        editAuthData(await assertion(s), (b) => flipBit(b, 32, 0x08)),
      ),
  },
  {
    name: 'authData truncated',
    reason: 'authenticator-data-invalid',
    message: /authenticator data is 20 bytes, expected at least 37/,
    registered: true,
    run: async (s) =>
      finishSignIn(
        s,
        editAuthData(await assertion(s), (b) => b.subarray(0, 20)),
      ),
  },
  {
    name: 'counter regression (clone)',
    reason: 'clone-warning',
    message: /may have been cloned/,
    registered: true,
    run: async (s) => {
      s.key.authenticator.rollbackSignCounter(1);
      try {
        return await finishSignIn(s, await assertion(s));
      } finally {
        expect(s.rp.listKeys(s.userId)[0]!.authenticator.clone_warning).toBe(true);
      }
    },
  },
  {
    name: "another account's key in this account's sign-in",
    reason: 'credential-not-allowed',
    message: /belongs to another account than the one signing in/,
    registered: true,
    run: async (s) => {
      const bob = await s.rp.signUp({ email: 'bob@example.com', password: 'bob password 123' });
      const bobKey = await openTestKey();
      const bobCredential = await registerKey(s.rp, bob.user.id, bobKey);
      const options = await signInOptions(s);
      return finishSignIn(
        s,
        await getAssertion(bobKey, { ...options, allowCredentials: [{ id: bobCredential.id, type: 'public-key' }] }),
      );
    },
  },
  {
    name: 'key alone for a password + key account',
    reason: 'mode-mismatch',
    message: /signs in with the password and then a key/,
    pin: '1234',
    run: async (s) => {
      await s.rp.finishKeyRegistration({
        response: await createCredential(
          s.key,
          await s.rp.startKeyRegistration({ userId: s.userId, residentKey: 'required' }),
        ),
      });
      await s.rp.setWebAuthnOnly({ userId: s.userId, enabled: true });
      const options = await s.rp.startPasswordlessSignIn();
      await s.rp.setWebAuthnOnly({ userId: s.userId, enabled: false });
      return finishSignIn(s, await getAssertion(s.key, options));
    },
  },
  {
    name: 'usernameless sign-in without userHandle',
    reason: 'user-handle-missing',
    message: /no userHandle, which a sign-in without an email needs/,
    pin: '1234',
    run: async (s) => {
      await s.rp.finishKeyRegistration({
        response: await createCredential(
          s.key,
          await s.rp.startKeyRegistration({ userId: s.userId, residentKey: 'required' }),
        ),
      });
      await s.rp.setWebAuthnOnly({ userId: s.userId, enabled: true });
      const a = await getAssertion(s.key, await s.rp.startPasswordlessSignIn());
      const { userHandle: _dropped, ...rest } = a.response;
      return finishSignIn(s, { ...a, response: rest });
    },
  },
  {
    name: 'signature not base64url',
    reason: 'response-malformed',
    message: /response\.signature: expected unpadded base64url/,
    registered: true,
    run: async (s) => finishSignIn(s, withResponse(await assertion(s), { signature: 'not base64!' })),
  },
  {
    name: 'key bound to the previous RP ID',
    reason: 'credential-orphaned',
    message: /bound to RP ID latchkey\.localhost, but the RP ID is now keys\.example\.org/,
    registered: true,
    run: async (s) => {
      const options = await signInOptions(s);
      await s.rp.updateSettings({
        rpId: 'keys.example.org',
        origin: 'https://keys.example.org',
        confirmOrphaning: true,
      });
      return finishSignIn(s, await getAssertion(s.key, options, { origin: 'https://keys.example.org' }));
    },
  },
  {
    name: 'cross-origin iframe',
    reason: 'cross-origin',
    message: /expected a same-origin ceremony/,
    registered: true,
    run: async (s) => finishSignIn(s, await assertion(s, { crossOrigin: true, topOrigin: 'https://evil.example' })),
  },
  {
    name: 'registration response where an assertion belongs',
    reason: 'response-malformed',
    message: /malformed at response\.authenticatorData/,
    registered: true,
    run: async (s) =>
      finishSignIn(
        s,
        await createCredential(await openTestKey(), await s.rp.startKeyRegistration({ userId: s.userId })),
      ),
  },
];

describe('tampered registration responses', () => {
  it.each(registrationCases)('refuses $name ($reason)', async (c) => {
    const s = await scene(c);
    await expectRefusal(c.run(s), c.reason, c.message);
    // Nothing was stored for a refused registration, apart from the one that legitimately succeeded first.
    expect(s.rp.listKeys(s.userId).length).toBeLessThanOrEqual(c.reason === 'challenge-reused' ? 1 : 0);
  });
});

describe('tampered sign-in responses', () => {
  it.each(signInCases)('refuses $name ($reason)', async (c) => {
    await expectRefusal(c.run(await scene(c)), c.reason, c.message);
  });

  it('covers at least 30 distinct tamperings', () => {
    expect(registrationCases.length + signInCases.length).toBeGreaterThanOrEqual(30);
  });
});
