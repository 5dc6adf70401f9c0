// A software authenticator that signs whatever flags a test asks for (BE, BS, UV), to show how the relying party treats them.

import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { encodeCbor, type CborInput } from '../../src/ctap/cbor/index.js';
import { AuthDataFlag } from '../../src/ctap/ctap2/constants.js';
import { publicKeyToCose } from '../../src/ctap/cose/coseKey.js';
import { TEST_ORIGIN } from './webauthnResponses.js';

export interface SoftFlags {
  uv?: boolean;
  be?: boolean;
  bs?: boolean;
}

/** One ES256 credential with "none" attestation; every response is signed for real, with the flags asked for. */
export class SoftPasskey {
  readonly id = randomBytes(16);
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  #counter = 0;
  #userHandle: Uint8Array | undefined;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = pair.privateKey;
    this.#publicKey = pair.publicKey;
  }

  create(options: PublicKeyCredentialCreationOptionsJSON, flags: SoftFlags = {}): RegistrationResponseJSON {
    this.#userHandle = Buffer.from(options.user.id, 'base64url');
    const { clientDataJSON } = clientData('webauthn.create', options.challenge);
    const cose = encodeCbor(publicKeyToCose(this.#publicKey, -7) as unknown as CborInput);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.id.length);
    const authData = Buffer.concat([
      this.#header(options.rp.id ?? '', flags, AuthDataFlag.AT),
      Buffer.alloc(16),
      idLength,
      this.id,
      cose,
    ]);
    const attestationObject = encodeCbor(
      new Map<string, CborInput>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const id = this.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON,
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['usb'],
      },
      clientExtensionResults: {},
    };
  }

  get(options: PublicKeyCredentialRequestOptionsJSON, flags: SoftFlags = {}): AuthenticationResponseJSON {
    const { clientDataJSON, hash } = clientData('webauthn.get', options.challenge);
    const authData = this.#header(options.rpId ?? '', flags, 0);
    const signature = sign('sha256', Buffer.concat([authData, hash]), this.#privateKey);
    const id = this.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(this.#userHandle ? { userHandle: Buffer.from(this.#userHandle).toString('base64url') } : {}),
      },
      clientExtensionResults: {},
    };
  }

  #header(rpId: string, flags: SoftFlags, extra: number): Buffer {
    const bits =
      AuthDataFlag.UP |
      (flags.uv ? AuthDataFlag.UV : 0) |
      (flags.be ? AuthDataFlag.BE : 0) |
      (flags.bs ? AuthDataFlag.BS : 0) |
      extra;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(++this.#counter);
    return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.of(bits), counter]);
  }
}

function clientData(type: string, challenge: string): { clientDataJSON: string; hash: Buffer } {
  const json = JSON.stringify({ type, challenge, origin: TEST_ORIGIN, crossOrigin: false });
  return { clientDataJSON: Buffer.from(json).toString('base64url'), hash: createHash('sha256').update(json).digest() };
}
