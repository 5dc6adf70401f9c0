// Helpers for driving the virtual key with the library's real client classes over in-memory CTAPHID.

import { createHash } from 'node:crypto';
import { Ctap1 } from '../../../src/ctap/ctap1/Ctap1.js';
import { ClientPin, type PinUvAuthToken } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2, type MakeCredentialRequest } from '../../../src/ctap/ctap2/Ctap2.js';
import { CoseAlgorithm } from '../../../src/ctap/ctap2/constants.js';
import type { AttestationResponse } from '../../../src/ctap/ctap2/makeCredential.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { ClientError, CtapError } from '../../../src/ctap/errors.js';
import type { VirtualAuthenticator, VirtualAuthenticatorOptions } from '../../../src/ctap/virtual/index.js';
import { RP_ID, fastKey } from './support.js';

export const PIN = '1234';

export interface OpenKey {
  key: VirtualAuthenticator;
  device: CtapHidDevice;
  ctap2: Ctap2;
}

/** A fast virtual key with a Ctap2 client on an in-memory HID connection (getInfo read). */
export async function openKey(opts: VirtualAuthenticatorOptions = {}): Promise<OpenKey> {
  const key = fastKey(opts);
  const device = await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
  return { key, device, ctap2: await Ctap2.create(device) };
}

/** A Ctap1 client on another HID connection to the key. */
export async function openU2f(key: VirtualAuthenticator): Promise<Ctap1> {
  return new Ctap1(await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' }), { pollIntervalMs: 10 });
}

/** Sets the PIN and reads getInfo again, as a platform does after a state change. */
export async function setPin(ctap2: Ctap2, pin = PIN): Promise<ClientPin> {
  const clientPin = new ClientPin(ctap2);
  await clientPin.setPin(pin);
  await ctap2.getInfo();
  return clientPin;
}

export function hash(text: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(text).digest());
}

let userCounter = 0;

/** makeCredential parameters for RP_ID with a fresh user, optionally authenticated with a token. */
export function credentialParams(
  opts: {
    rk?: boolean;
    rpId?: string;
    token?: PinUvAuthToken;
    userName?: string;
    extensions?: MakeCredentialRequest['extensions'];
  } = {},
): MakeCredentialRequest {
  const clientDataHash = hash(`register ${++userCounter}`);
  const params: MakeCredentialRequest = {
    clientDataHash,
    rp: { id: opts.rpId ?? RP_ID, name: 'Latchkey' },
    user: {
      id: Uint8Array.of(userCounter & 0xff, userCounter >> 8),
      name: opts.userName ?? `user${userCounter}@example.com`,
      displayName: `User ${userCounter}`,
    },
    pubKeyCredParams: [{ type: 'public-key', alg: CoseAlgorithm.ES256 }],
  };
  if (opts.rk) params.options = { rk: true };
  if (opts.extensions) params.extensions = opts.extensions;
  if (opts.token) params.pinUvAuthToken = opts.token;
  return params;
}

export function credentialId(att: AttestationResponse): Uint8Array {
  return att.authData.attestedCredentialData!.credentialId;
}

/** The CTAP status a client call failed with (directly, or as the cause of a ClientError); 0 when it succeeded. */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 0;
  } catch (error) {
    const ctap =
      error instanceof CtapError
        ? error
        : error instanceof ClientError && error.cause instanceof CtapError
          ? error.cause
          : undefined;
    if (!ctap) throw error;
    return ctap.status;
  }
}
