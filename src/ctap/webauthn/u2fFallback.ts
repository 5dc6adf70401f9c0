// create() and get() on a U2F-only key (CTAP1): register / authenticate, turned into WebAuthn's fido-u2f attestation and authenticator data.

import { createHash } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { concatBytes } from '../bytes.js';
import { encodeCbor } from '../cbor/encode.js';
import type { Ctap1 } from '../ctap1/Ctap1.js';
import { U2F_MAX_KEY_HANDLE_SIZE } from '../ctap1/constants.js';
import type { U2fRegistration } from '../ctap1/registerResponse.js';
import { CoseAlgorithm, AuthDataFlag } from '../ctap2/constants.js';
import type { CredentialDescriptor } from '../ctap2/entities.js';
import { u2fPublicKeyToCose } from '../cose/coseKey.js';
import { ClientError } from '../errors.js';
import type { Ceremony } from './ceremony.js';
import type { CollectedClientData } from './clientData.js';
import { getOutputs, u2fCreateOutputs, type GetExtensionRequest } from './extensions.js';
import type { CreateRequest, GetRequest } from './requestOptions.js';
import { authenticationResponse, conveyAttestation, registrationResponse, transportsOf } from './responses.js';

/** The attestation statement format WebAuthn Level 3 section 8.6 defines for U2F registrations. */
const FIDO_U2F = 'fido-u2f';
/** U2F keys have no AAGUID: section 8.6 step 4 of the verification procedure expects zeros. */
const ZERO_AAGUID = new Uint8Array(16);

export async function registerWithU2f(
  ctap1: Ctap1,
  req: CreateRequest,
  clientData: CollectedClientData,
  ceremony: Ceremony,
): Promise<RegistrationResponseJSON> {
  if (req.residentKey === 'required') {
    throw new ClientError(
      'device-not-supported',
      'The relying party requires a passkey (discoverable credential); this key only speaks U2F and cannot store one.',
    );
  }
  if (req.userVerification === 'required') {
    throw new ClientError(
      'uv-required',
      'The relying party requires user verification; this key only speaks U2F, which has no PIN and no fingerprint.',
    );
  }
  if (!req.pubKeyCredParams.some((p) => p.alg === CoseAlgorithm.ES256)) {
    throw new ClientError(
      'device-not-supported',
      'The relying party does not accept ES256, the only algorithm of a U2F key.',
    );
  }
  const appParam = applicationParameter(req.rpId);
  if (await findKeyHandle(ctap1, appParam, req.excludeList, clientData, ceremony)) {
    // As with CTAP2's excludeList, the user touches the key before learning that it is registered already.
    await ctap1.register(new Uint8Array(32), new Uint8Array(32), touchOptions(ceremony));
    throw new ClientError('credential-excluded', 'This key is already registered.');
  }
  const registration = await ctap1.register(clientData.hash, appParam, touchOptions(ceremony));
  const publicKey = u2fPublicKeyToCose(registration.publicKey);
  return registrationResponse({
    credentialId: registration.keyHandle,
    clientData,
    attestation: conveyAttestation(
      {
        fmt: FIDO_U2F,
        attStmt: new Map<string, Uint8Array | Uint8Array[]>([
          ['sig', registration.signature],
          ['x5c', [registration.certificate]],
        ]),
        authData: registrationAuthData(appParam, registration, publicKey),
      },
      req.attestation,
    ),
    publicKey,
    transports: transportsOf([], ctap1.device.transport),
    extensions: u2fCreateOutputs(req.extensions),
  });
}

export async function authenticateWithU2f(
  ctap1: Ctap1,
  req: GetRequest,
  ext: GetExtensionRequest,
  clientData: CollectedClientData,
  ceremony: Ceremony,
): Promise<AuthenticationResponseJSON> {
  if (req.userVerification === 'required') {
    throw new ClientError(
      'uv-required',
      'The relying party requires user verification; this key only speaks U2F, which has no PIN and no fingerprint.',
    );
  }
  if (req.allowList.length === 0) {
    throw new ClientError(
      'device-not-supported',
      'This key only speaks U2F: it holds no passkeys, so the relying party must name the credential (allowCredentials).',
    );
  }
  const appParam = applicationParameter(req.rpId);
  const held = await findKeyHandle(ctap1, appParam, req.allowList, clientData, ceremony);
  if (!held) throw new ClientError('no-credentials', 'This key holds none of the allowed credentials.');
  const answer = await ctap1.authenticate(clientData.hash, appParam, held.id, touchOptions(ceremony));
  // The key signed appParam || user presence || counter || challenge: exactly authData || clientDataHash once the
  // user presence byte is the flags byte (CTAP 2.2 section 11.3.2).
  const authData = concatBytes(appParam, Uint8Array.of(answer.userPresence & AuthDataFlag.UP), uint32(answer.counter));
  return authenticationResponse({
    credentialId: held.id,
    clientData,
    authData,
    signature: answer.signature,
    userHandle: undefined,
    extensions: getOutputs(ext, undefined),
  });
}

/** The U2F application parameter of a WebAuthn credential: SHA-256 of the RP ID, which is also the rpIdHash. */
function applicationParameter(rpId: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(rpId, 'utf8').digest());
}

/**
 * The first credential of `list` this key made for `appParam`, asked with check-only authenticate (no touch, nothing
 * signed). Ids that cannot be U2F key handles (over 255 bytes) are skipped.
 */
async function findKeyHandle(
  ctap1: Ctap1,
  appParam: Uint8Array,
  list: readonly CredentialDescriptor[],
  clientData: CollectedClientData,
  ceremony: Ceremony,
): Promise<CredentialDescriptor | undefined> {
  for (const credential of list) {
    if (credential.id.length === 0 || credential.id.length > U2F_MAX_KEY_HANDLE_SIZE) continue;
    const { known } = await ctap1.authenticate(clientData.hash, appParam, credential.id, {
      checkOnly: true,
      signal: ceremony.signal,
    });
    if (known) return credential;
  }
  return undefined;
}

/**
 * Authenticator data of a fido-u2f registration (section 8.6): rpIdHash, flags UP and AT, counter 0, a zero AAGUID,
 * the key handle as credential id, and the U2F public key as COSE_Key.
 */
function registrationAuthData(
  appParam: Uint8Array,
  registration: U2fRegistration,
  publicKey: Map<number, number | Uint8Array>,
): Uint8Array {
  const idLength = Uint8Array.of(registration.keyHandle.length >> 8, registration.keyHandle.length & 0xff);
  return concatBytes(
    appParam,
    Uint8Array.of(AuthDataFlag.UP | AuthDataFlag.AT),
    uint32(0),
    ZERO_AAGUID,
    idLength,
    registration.keyHandle,
    encodeCbor(publicKey),
  );
}

function uint32(value: number): Uint8Array {
  return Uint8Array.of((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** U2F keys are polled until touched; the poll stops at the ceremony's deadline or cancel. */
function touchOptions(ceremony: Ceremony) {
  return { signal: ceremony.signal, timeoutMs: ceremony.remainingMs, onKeepalive: ceremony.touchPrompt('presence') };
}
