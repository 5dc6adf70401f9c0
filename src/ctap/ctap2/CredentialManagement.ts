// authenticatorCredentialManagement (CTAP 2.1 section 6.8), client side: the passkeys stored on a key, listed, renamed and deleted.

import { encodeCbor, type CborInput } from '../cbor/encode.js';
import { asMap, optBool, optBytes, optUint, reqBytes, reqMap, reqUint, requireField } from '../cbor/fields.js';
import type { CborMap } from '../cbor/types.js';
import { concatBytes } from '../bytes.js';
import { ClientError, CtapError, ProtocolError } from '../errors.js';
import type { CallOptions } from '../transport.js';
import type { PinUvAuthToken } from './ClientPin.js';
import { Ctap2Cmd } from './constants.js';
import {
  descriptorToCbor,
  parseDescriptor,
  parseUser,
  userToCbor,
  type CredentialDescriptor,
  type RelyingPartyEntity,
  type UserEntity,
} from './entities.js';
import { requireToken, type FeatureCtap2 } from './featureAuth.js';
import { CtapStatus } from '../ctapStatus.js';

const WHERE = 'credentialManagement response';

/** The part of getInfo CredentialManagement reads. */
export interface CredentialManagementInfo {
  readonly options: ReadonlyMap<string, boolean>;
}

/** getCredsMetadata: how many discoverable credentials the key holds and how many more fit. */
export interface CredentialsMetadata {
  existingResidentCredentialsCount: number;
  /** An estimate: the real room left can depend on the algorithm and extensions of the next credential. */
  maxPossibleRemainingResidentCredentialsCount: number;
}

/** A relying party the key holds discoverable credentials for. */
export interface StoredRelyingParty {
  rp: RelyingPartyEntity;
  /** SHA-256 of the RP ID: what enumerateCredentials takes. */
  rpIdHash: Uint8Array;
}

/** A discoverable credential as the key reports it. */
export interface StoredCredential {
  user: UserEntity;
  /** The descriptor deleteCredential and updateUserInformation take. */
  credentialId: CredentialDescriptor;
  /** The credential's public key as a COSE_Key map (coseToPublicKey turns it into a KeyObject). */
  publicKey: CborMap;
  /** credProtect level 1-3, when the key reports it. */
  credProtect?: number;
  /** The credential's largeBlobKey (a secret: zero it when done), when it has one. */
  largeBlobKey?: Uint8Array;
  /** CTAP 2.2 thirdPartyPayment flag, when the key reports it. */
  thirdPartyPayment?: boolean;
}

export class CredentialManagement {
  /** Section 6.8: authenticatorCredentialManagement subCommand values. */
  static readonly CMD = {
    getCredsMetadata: 0x01,
    enumerateRPsBegin: 0x02,
    enumerateRPsGetNextRP: 0x03,
    enumerateCredentialsBegin: 0x04,
    enumerateCredentialsGetNextCredential: 0x05,
    deleteCredential: 0x06,
    updateUserInformation: 0x07,
  } as const;

  /** Section 6.8: authenticatorCredentialManagement request parameter keys. */
  static readonly PARAM = {
    subCommand: 0x01,
    subCommandParams: 0x02,
    pinUvAuthProtocol: 0x03,
    pinUvAuthParam: 0x04,
  } as const;

  /** Section 6.8: subCommandParams keys. */
  static readonly SUB_PARAM = {
    rpIDHash: 0x01,
    credentialID: 0x02,
    user: 0x03,
  } as const;

  /** Section 6.8: authenticatorCredentialManagement response keys (thirdPartyPayment is CTAP 2.2). */
  static readonly RESULT = {
    existingResidentCredentialsCount: 0x01,
    maxPossibleRemainingResidentCredentialsCount: 0x02,
    rp: 0x03,
    rpIDHash: 0x04,
    totalRPs: 0x05,
    user: 0x06,
    credentialID: 0x07,
    publicKey: 0x08,
    totalCredentials: 0x09,
    credProtect: 0x0a,
    largeBlobKey: 0x0b,
    thirdPartyPayment: 0x0c,
  } as const;

  /** Whether the key manages credentials: `credMgmt` (CTAP 2.1) or the FIDO_2_1_PRE `credentialMgmtPreview`. */
  static isSupported(info: CredentialManagementInfo): boolean {
    return info.options.get('credMgmt') === true || info.options.get('credentialMgmtPreview') === true;
  }

  /** The command byte in use: 0x0a, or 0x41 on keys that only speak the FIDO_2_1_PRE preview. */
  readonly command: number;
  readonly #ctap2: FeatureCtap2<CredentialManagementInfo>;
  readonly #token: PinUvAuthToken;

  /**
   * @param token a token with the `cm` permission (ClientPin.PERMISSION.cm)
   */
  constructor(ctap2: FeatureCtap2<CredentialManagementInfo>, token: PinUvAuthToken) {
    if (!CredentialManagement.isSupported(ctap2.info)) {
      throw new ClientError(
        'device-not-supported',
        'This key cannot manage the passkeys stored on it (no credMgmt option).',
      );
    }
    this.#ctap2 = ctap2;
    this.#token = requireToken(token, 'Credential management');
    this.command =
      ctap2.info.options.get('credMgmt') === true ? Ctap2Cmd.CREDENTIAL_MANAGEMENT : Ctap2Cmd.CREDENTIAL_MANAGEMENT_PRE;
  }

  /** getCredsMetadata (0x01). */
  async getMetadata(options: CallOptions = {}): Promise<CredentialsMetadata> {
    const response = await this.#call(CredentialManagement.CMD.getCredsMetadata, undefined, true, options);
    return {
      existingResidentCredentialsCount: reqUint(
        response,
        CredentialManagement.RESULT.existingResidentCredentialsCount,
        WHERE,
      ),
      maxPossibleRemainingResidentCredentialsCount: reqUint(
        response,
        CredentialManagement.RESULT.maxPossibleRemainingResidentCredentialsCount,
        WHERE,
      ),
    };
  }

  /** enumerateRPsBegin (0x02) and enumerateRPsGetNextRP (0x03) for the rest: every RP with discoverable credentials. */
  async enumerateRps(options: CallOptions = {}): Promise<StoredRelyingParty[]> {
    const first = await this.#begin(CredentialManagement.CMD.enumerateRPsBegin, undefined, options);
    // A key without discoverable credentials may answer NO_CREDENTIALS, an empty map or totalRPs 0: all mean none.
    if (first === undefined || first.size === 0) return [];
    const total = reqUint(first, CredentialManagement.RESULT.totalRPs, WHERE);
    if (total === 0) return [];
    const rps = [parseStoredRp(first)];
    for (let i = 1; i < total; i++) {
      rps.push(
        parseStoredRp(await this.#call(CredentialManagement.CMD.enumerateRPsGetNextRP, undefined, false, options)),
      );
    }
    return rps;
  }

  /**
   * enumerateCredentialsBegin (0x04) and enumerateCredentialsGetNextCredential (0x05) for the rest: the discoverable
   * credentials of one RP.
   * @param rpIdHash SHA-256 of the RP ID (StoredRelyingParty.rpIdHash)
   */
  async enumerateCredentials(rpIdHash: Uint8Array, options: CallOptions = {}): Promise<StoredCredential[]> {
    if (!(rpIdHash instanceof Uint8Array) || rpIdHash.length !== 32) {
      throw new ClientError('bad-request', 'enumerateCredentials takes the 32-byte SHA-256 hash of the RP ID.');
    }
    const params = new Map([[CredentialManagement.SUB_PARAM.rpIDHash, rpIdHash]]);
    const first = await this.#begin(CredentialManagement.CMD.enumerateCredentialsBegin, params, options);
    if (first === undefined || first.size === 0) return [];
    const total = reqUint(first, CredentialManagement.RESULT.totalCredentials, WHERE);
    if (total === 0) return [];
    const credentials = [parseStoredCredential(first)];
    for (let i = 1; i < total; i++) {
      const next = await this.#call(
        CredentialManagement.CMD.enumerateCredentialsGetNextCredential,
        undefined,
        false,
        options,
      );
      credentials.push(parseStoredCredential(next));
    }
    return credentials;
  }

  /** deleteCredential (0x06). */
  async deleteCredential(credentialId: CredentialDescriptor, options: CallOptions = {}): Promise<void> {
    const params = new Map([
      [CredentialManagement.SUB_PARAM.credentialID, descriptorToCbor(checkDescriptor(credentialId))],
    ]);
    await this.#call(CredentialManagement.CMD.deleteCredential, params, true, options);
  }

  /**
   * updateUserInformation (0x07, CTAP 2.1 only): replaces the stored user name and displayName. `user.id` must be the
   * credential's own user handle; a name or displayName left out (or empty) is removed from the key.
   */
  async updateUserInformation(
    credentialId: CredentialDescriptor,
    user: UserEntity,
    options: CallOptions = {},
  ): Promise<void> {
    if (this.command !== Ctap2Cmd.CREDENTIAL_MANAGEMENT) {
      throw new ClientError(
        'device-not-supported',
        'This key only speaks the credential management preview, which cannot rename passkeys.',
      );
    }
    if (!(user?.id instanceof Uint8Array))
      throw new ClientError('bad-request', 'updateUserInformation needs the user entity with its id.');
    const params = new Map<number, CborInput>([
      [CredentialManagement.SUB_PARAM.credentialID, descriptorToCbor(checkDescriptor(credentialId))],
      [CredentialManagement.SUB_PARAM.user, userToCbor(user)],
    ]);
    await this.#call(CredentialManagement.CMD.updateUserInformation, params, true, options);
  }

  /** A begin subcommand; undefined when the key says it holds no credentials. */
  async #begin(
    subCommand: number,
    params: ReadonlyMap<number, CborInput> | undefined,
    options: CallOptions,
  ): Promise<CborMap | undefined> {
    try {
      return await this.#call(subCommand, params, true, options);
    } catch (error) {
      if (error instanceof CtapError && error.status === CtapStatus.CTAP2_ERR_NO_CREDENTIALS) return undefined;
      throw error;
    }
  }

  /** Sends one subcommand; authenticated ones carry pinUvAuthParam = authenticate(token, subCommand || subCommandParams). */
  async #call(
    subCommand: number,
    params: ReadonlyMap<number, CborInput> | undefined,
    authenticated: boolean,
    options: CallOptions,
  ): Promise<CborMap> {
    const request = new Map<number, CborInput | undefined>([
      [CredentialManagement.PARAM.subCommand, subCommand],
      [CredentialManagement.PARAM.subCommandParams, params],
    ]);
    if (authenticated) {
      const message =
        params === undefined ? Uint8Array.of(subCommand) : concatBytes(Uint8Array.of(subCommand), encodeCbor(params));
      request.set(CredentialManagement.PARAM.pinUvAuthProtocol, this.#token.protocol.version);
      request.set(CredentialManagement.PARAM.pinUvAuthParam, this.#token.authenticate(message));
    }
    return this.#ctap2.send(this.command, request, options);
  }
}

function checkDescriptor(descriptor: CredentialDescriptor): CredentialDescriptor {
  if (!(descriptor?.id instanceof Uint8Array) || descriptor.id.length === 0 || typeof descriptor.type !== 'string') {
    throw new ClientError('bad-request', 'A credential descriptor needs a type and a non-empty id.');
  }
  return descriptor;
}

function parseStoredRp(response: CborMap): StoredRelyingParty {
  const rp = reqMap(response, CredentialManagement.RESULT.rp, WHERE);
  const id = rp.get('id');
  if (typeof id !== 'string') throw new ProtocolError(`${WHERE} field 0x03 (rp) "id" is not a text string`);
  const entity: RelyingPartyEntity = { id };
  const name = rp.get('name');
  if (typeof name === 'string') entity.name = name;
  const rpIdHash = reqBytes(response, CredentialManagement.RESULT.rpIDHash, WHERE);
  if (rpIdHash.length !== 32)
    throw new ProtocolError(`${WHERE} field 0x04 (rpIDHash) is ${rpIdHash.length} bytes, expected 32`);
  return { rp: entity, rpIdHash };
}

function parseStoredCredential(response: CborMap): StoredCredential {
  const { RESULT } = CredentialManagement;
  const credential: StoredCredential = {
    user: parseUser(requireField(response, RESULT.user, WHERE), `${WHERE} field 0x06 (user)`),
    credentialId: parseDescriptor(
      requireField(response, RESULT.credentialID, WHERE),
      `${WHERE} field 0x07 (credentialID)`,
    ),
    publicKey: asMap(requireField(response, RESULT.publicKey, WHERE), `${WHERE} field 0x08 (publicKey)`),
  };
  const credProtect = optUint(response, RESULT.credProtect, WHERE);
  if (credProtect !== undefined) credential.credProtect = credProtect;
  const largeBlobKey = optBytes(response, RESULT.largeBlobKey, WHERE);
  if (largeBlobKey !== undefined) {
    if (largeBlobKey.length !== 32)
      throw new ProtocolError(`${WHERE} field 0x0b (largeBlobKey) is ${largeBlobKey.length} bytes, expected 32`);
    credential.largeBlobKey = largeBlobKey;
  }
  const thirdPartyPayment = optBool(response, RESULT.thirdPartyPayment, WHERE);
  if (thirdPartyPayment !== undefined) credential.thirdPartyPayment = thirdPartyPayment;
  return credential;
}
