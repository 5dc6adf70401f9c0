// The virtual key's persistent memory (device secret, sign counter, discoverable credentials) and its plain-JSON form.

import { createSecretKey, hkdfSync, randomFillSync, type KeyObject } from 'node:crypto';
import { equalBytes, formatAaguid, fromBase64Url, fromHex, toBase64Url, zeroize } from '../bytes.js';
import { rpIdHash } from './authenticatorData.js';
import { isCredentialAlgorithm, privateKeyFromPkcs8, type CredentialAlgorithm } from './credentialKey.js';

/** A virtual key as plain JSON (bytes as base64url): what survives a restart. Holds private keys: keep it secret. */
export interface VirtualAuthenticatorState {
  format: 'latchkey-virtual-authenticator';
  version: 1;
  /** The profile name the key was made with. */
  profile: string;
  /** AAGUID as UUID text. */
  aaguid: string;
  /** 32-byte device secret that wraps non-discoverable credential IDs; rotated by reset. */
  masterSecret: string;
  /** The global signature counter. */
  signCount: number;
  /** Discoverable credentials, oldest first. */
  credentials: VirtualCredentialState[];
}

export interface VirtualCredentialState {
  id: string;
  rpId: string;
  rpName?: string;
  user: { id: string; name?: string; displayName?: string; icon?: string };
  /** COSE algorithm. */
  alg: number;
  /** PKCS#8 DER. */
  privateKey: string;
}

export interface StoredUser {
  id: Uint8Array;
  name?: string;
  displayName?: string;
  icon?: string;
}

export interface ResidentCredential {
  id: Uint8Array;
  rpId: string;
  rpIdHash: Uint8Array;
  rpName?: string;
  user: StoredUser;
  alg: CredentialAlgorithm;
  privateKey: KeyObject;
}

const STATE_FORMAT = 'latchkey-virtual-authenticator';
const MASTER_SECRET_SIZE = 32;
const MAX_SIGN_COUNT = 0xffffffff;
// Purpose label for HKDF, so later secrets (hmac-secret CredRandom, PIN) derive independent keys from one master.
const WRAPPING_KEY_INFO = Buffer.from('latchkey virtual authenticator: credential id wrapping');

export class PersistentState {
  private master: KeyObject;
  private wrapping: KeyObject;
  /** Discoverable credentials in creation order: the last is the most recent. */
  private readonly residents: ResidentCredential[];

  private constructor(
    readonly aaguid: Uint8Array,
    masterSecret: Uint8Array,
    public signCount: number,
    residents: ResidentCredential[],
  ) {
    this.master = createSecretKey(masterSecret);
    this.wrapping = deriveWrappingKey(masterSecret);
    zeroize(masterSecret);
    this.residents = residents;
  }

  static create(aaguid: string): PersistentState {
    return new PersistentState(parseAaguid(aaguid), randomFillSync(new Uint8Array(MASTER_SECRET_SIZE)), 0, []);
  }

  static fromJSON(json: VirtualAuthenticatorState): PersistentState {
    if (json.format !== STATE_FORMAT || json.version !== 1) {
      throw new TypeError(`virtual authenticator state has format ${String(json.format)} version ${String(json.version)}, expected ${STATE_FORMAT} version 1`);
    }
    if (!Number.isInteger(json.signCount) || json.signCount < 0 || json.signCount > MAX_SIGN_COUNT) {
      throw new TypeError(`virtual authenticator state signCount ${json.signCount} is not a 32-bit unsigned integer`);
    }
    const master = secretFromBase64Url(json.masterSecret);
    if (master.length !== MASTER_SECRET_SIZE) {
      zeroize(master);
      throw new TypeError(`virtual authenticator state masterSecret is ${master.length} bytes, expected ${MASTER_SECRET_SIZE}`);
    }
    return new PersistentState(parseAaguid(json.aaguid), master, json.signCount, json.credentials.map(residentFromJSON));
  }

  toJSON(profileName: string): VirtualAuthenticatorState {
    const master = this.master.export();
    try {
      return {
        format: STATE_FORMAT,
        version: 1,
        profile: profileName,
        aaguid: formatAaguid(this.aaguid),
        masterSecret: toBase64Url(master),
        signCount: this.signCount,
        credentials: this.residents.map(residentToJSON),
      };
    } finally {
      zeroize(master);
    }
  }

  /** The key that wraps non-discoverable credential IDs. */
  get wrappingKey(): KeyObject {
    return this.wrapping;
  }

  /** Advances the global counter for one more signature and returns its new value (it sticks at 2^32-1). */
  nextSignCount(): number {
    this.signCount = Math.min(this.signCount + 1, MAX_SIGN_COUNT);
    return this.signCount;
  }

  get residentCount(): number {
    return this.residents.length;
  }

  findResident(rpId: string, id: Uint8Array): ResidentCredential | undefined {
    return this.residents.find((c) => c.rpId === rpId && equalBytes(c.id, id));
  }

  /** The RP's discoverable credentials, most recently created first. */
  residentsFor(rpId: string): ResidentCredential[] {
    return this.residents.filter((c) => c.rpId === rpId).reverse();
  }

  /** Whether storing a credential for this RP and user needs a free slot (it replaces an existing one otherwise). */
  replacesResident(rpId: string, userId: Uint8Array): boolean {
    return this.residents.some((c) => c.rpId === rpId && equalBytes(c.user.id, userId));
  }

  /** Stores a discoverable credential, replacing any for the same RP and user (CTAP 2.2 section 6.1.2 step 17). */
  storeResident(credential: ResidentCredential): void {
    const existing = this.residents.findIndex((c) => c.rpId === credential.rpId && equalBytes(c.user.id, credential.user.id));
    if (existing >= 0) this.residents.splice(existing, 1);
    this.residents.push(credential);
  }

  /** authenticatorReset: forget every credential and rotate the device secret, which orphans every wrapped ID. */
  wipe(): void {
    this.residents.length = 0;
    const fresh = randomFillSync(new Uint8Array(MASTER_SECRET_SIZE));
    this.master = createSecretKey(fresh);
    this.wrapping = deriveWrappingKey(fresh);
    zeroize(fresh);
  }
}

function deriveWrappingKey(masterSecret: Uint8Array): KeyObject {
  const derived = new Uint8Array(hkdfSync('sha256', masterSecret, new Uint8Array(0), WRAPPING_KEY_INFO, 32));
  try {
    return createSecretKey(derived);
  } finally {
    zeroize(derived);
  }
}

/** Decodes straight into one buffer the caller zeroizes (fromBase64Url would leave a second copy behind). */
function secretFromBase64Url(text: string): Uint8Array {
  return Buffer.from(text, 'base64url');
}

function parseAaguid(text: string): Uint8Array {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`AAGUID "${text}" is not a UUID`);
  return fromHex(hex);
}

function residentFromJSON(json: VirtualCredentialState, index: number): ResidentCredential {
  if (!isCredentialAlgorithm(json.alg)) throw new TypeError(`stored credential ${index} has unsupported COSE algorithm ${json.alg}`);
  const der = secretFromBase64Url(json.privateKey);
  try {
    const credential: ResidentCredential = {
      id: fromBase64Url(json.id),
      rpId: json.rpId,
      rpIdHash: rpIdHash(json.rpId),
      user: userFromJSON(json.user),
      alg: json.alg,
      privateKey: privateKeyFromPkcs8(json.alg, der),
    };
    if (json.rpName !== undefined) credential.rpName = json.rpName;
    return credential;
  } finally {
    zeroize(der);
  }
}

function userFromJSON(json: VirtualCredentialState['user']): StoredUser {
  const user: StoredUser = { id: fromBase64Url(json.id) };
  if (json.name !== undefined) user.name = json.name;
  if (json.displayName !== undefined) user.displayName = json.displayName;
  if (json.icon !== undefined) user.icon = json.icon;
  return user;
}

function residentToJSON(credential: ResidentCredential): VirtualCredentialState {
  const der = credential.privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    const json: VirtualCredentialState = {
      id: toBase64Url(credential.id),
      rpId: credential.rpId,
      user: { ...credential.user, id: toBase64Url(credential.user.id) },
      alg: credential.alg,
      privateKey: toBase64Url(der),
    };
    if (credential.rpName !== undefined) json.rpName = credential.rpName;
    return json;
  } finally {
    zeroize(der);
  }
}
