// A minimal WebAuthn client for relying-party tests: the virtual key through CtapHidDevice/Ctap2/ClientPin, answered as WebAuthn JSON.
// The real WebAuthnClient (src/ctap/webauthn) replaces it; until then it stays this small on purpose.

import { createHash } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { fromBase64Url, toBase64Url } from '../../src/ctap/bytes.js';
import { encodeCbor, type CborInput } from '../../src/ctap/cbor/index.js';
import { ClientPin } from '../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../src/ctap/hid/CtapHidDevice.js';
import { VirtualAuthenticator, type VirtualProfileName } from '../../src/ctap/virtual/index.js';

export const TEST_ORIGIN = 'https://latchkey.localhost';

export interface TestKey {
  authenticator: VirtualAuthenticator;
  ctap2: Ctap2;
  /** Set when the key has a PIN: the client then verifies the user unless told not to. */
  pin?: string;
}

export async function openTestKey(
  options: { profile?: VirtualProfileName; pin?: string; attestation?: 'packed-self' | 'none' } = {},
): Promise<TestKey> {
  const authenticator = new VirtualAuthenticator({
    profile: options.profile ?? 'yubikey5',
    keepaliveIntervalMs: 10,
    attestation: options.attestation,
  });
  const device = await CtapHidDevice.open(authenticator.hidConnection(), { transport: 'virtual' });
  const ctap2 = await Ctap2.create(device);
  if (options.pin !== undefined) {
    await new ClientPin(ctap2).setPin(options.pin);
    await ctap2.getInfo();
  }
  return { authenticator, ctap2, pin: options.pin };
}

/** What a well-behaved client would put in clientDataJSON and ask of the key, each replaceable to build a tampered response. */
export interface ClientOverrides {
  origin?: string;
  type?: string;
  challenge?: string;
  crossOrigin?: boolean;
  topOrigin?: string;
  /** Ask the key for this RP ID instead of the one in the options. */
  rpId?: string;
  /** Offer only this COSE algorithm to the key. */
  alg?: number;
  /** Verify the user with the PIN. @default true when the key has a PIN and the options do not say "discouraged" */
  uv?: boolean;
  /** getAssertion's up option (false: a silent assertion without a touch). */
  up?: boolean;
}

export async function createCredential(
  key: TestKey,
  options: PublicKeyCredentialCreationOptionsJSON,
  o: ClientOverrides = {},
): Promise<RegistrationResponseJSON> {
  const rpId = o.rpId ?? options.rp.id ?? '';
  const { clientDataJSON, hash } = clientData('webauthn.create', options.challenge, o);
  const rk = options.authenticatorSelection?.residentKey === 'required';
  const hmac = options.extensions?.hmacCreateSecret === true && key.ctap2.info.extensions.includes('hmac-secret');
  const token = await pinUvAuthToken(
    key,
    ClientPin.PERMISSION.mc,
    rpId,
    options.authenticatorSelection?.userVerification,
    o.uv,
  );
  const att = await key.ctap2
    .makeCredential({
      clientDataHash: hash,
      rp: { id: rpId, name: options.rp.name },
      user: { id: fromBase64Url(options.user.id), name: options.user.name, displayName: options.user.displayName },
      pubKeyCredParams: o.alg === undefined ? options.pubKeyCredParams : [{ type: 'public-key', alg: o.alg }],
      excludeList: options.excludeCredentials?.map((c) => ({ type: 'public-key', id: fromBase64Url(c.id) })),
      extensions: hmac ? { 'hmac-secret': true } : undefined,
      options: rk ? { rk: true } : undefined,
      ...(token ? { pinUvAuthToken: token } : {}),
    })
    .finally(() => token?.dispose());
  const id = toBase64Url(att.authData.attestedCredentialData!.credentialId);
  const attestationObject = encodeCbor(
    new Map<string, CborInput>([
      ['fmt', att.fmt],
      ['attStmt', att.attStmt as CborInput],
      ['authData', att.authData.raw],
    ]),
  );
  return {
    id,
    rawId: id,
    type: 'public-key',
    response: { clientDataJSON, attestationObject: toBase64Url(attestationObject), transports: ['usb'] },
    authenticatorAttachment: 'cross-platform',
    clientExtensionResults: {
      credProps: { rk },
      ...(hmac ? { hmacCreateSecret: att.authData.extensions?.get('hmac-secret') === true } : {}),
    },
  };
}

export async function getAssertion(
  key: TestKey,
  options: PublicKeyCredentialRequestOptionsJSON,
  o: ClientOverrides = {},
): Promise<AuthenticationResponseJSON> {
  const rpId = o.rpId ?? options.rpId ?? '';
  const { clientDataJSON, hash } = clientData('webauthn.get', options.challenge, o);
  const token = await pinUvAuthToken(key, ClientPin.PERMISSION.ga, rpId, options.userVerification, o.uv);
  const assertion = await key.ctap2
    .getAssertion({
      rpId,
      clientDataHash: hash,
      allowList: options.allowCredentials?.map((c) => ({ type: 'public-key', id: fromBase64Url(c.id) })),
      options: o.up === false ? { up: false } : undefined,
      ...(token ? { pinUvAuthToken: token } : {}),
    })
    .finally(() => token?.dispose());
  const id = toBase64Url(assertion.credential.id);
  return {
    id,
    rawId: id,
    type: 'public-key',
    response: {
      clientDataJSON,
      authenticatorData: toBase64Url(assertion.authData.raw),
      signature: toBase64Url(assertion.signature),
      ...(assertion.user ? { userHandle: toBase64Url(assertion.user.id) } : {}),
    },
    authenticatorAttachment: 'cross-platform',
    clientExtensionResults: {},
  };
}

function clientData(type: string, challenge: string, o: ClientOverrides): { clientDataJSON: string; hash: Uint8Array } {
  const json = JSON.stringify({
    type: o.type ?? type,
    challenge: o.challenge ?? challenge,
    origin: o.origin ?? TEST_ORIGIN,
    crossOrigin: o.crossOrigin ?? false,
    ...(o.topOrigin === undefined ? {} : { topOrigin: o.topOrigin }),
  });
  return {
    clientDataJSON: Buffer.from(json).toString('base64url'),
    hash: new Uint8Array(createHash('sha256').update(json).digest()),
  };
}

/** PIN-based user verification, as a platform does it: a fresh token per request (CTAP 2.1 clears its UV bit on use). */
async function pinUvAuthToken(
  key: TestKey,
  permissions: number,
  rpId: string,
  policy: string | undefined,
  uv: boolean | undefined,
) {
  const verify = uv ?? (key.pin !== undefined && policy !== 'discouraged');
  if (!verify || key.pin === undefined) return undefined;
  return new ClientPin(key.ctap2).getPinToken(key.pin, { permissions, rpId });
}
