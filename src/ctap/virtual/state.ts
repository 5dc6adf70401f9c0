// The virtual key's persistent memory (device secret, counter, credentials, PIN, fingerprints, settings, large blobs) and its plain-JSON form.

import {
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomFillSync,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { concatBytes, equalBytes, formatAaguid, fromBase64Url, fromHex, toBase64Url, zeroize } from '../bytes.js';
import { rpIdHash } from './authenticatorData.js';
import { isCredentialAlgorithm, privateKeyFromPkcs8, type CredentialAlgorithm } from './credentialKey.js';
import type { VirtualProfile } from './profiles.js';

/** A virtual key as plain JSON (bytes as base64url): what survives a restart. Holds private keys and the PIN hash: keep it secret. */
export interface VirtualAuthenticatorState {
  format: 'latchkey-virtual-authenticator';
  /** 2 since ClientPIN and the CTAP 2.1 features; version 1 (no PIN, no fingerprints) still loads. */
  version: 1 | 2;
  /** The profile name the key was made with. */
  profile: string;
  /** AAGUID as UUID text. */
  aaguid: string;
  /** 32-byte device secret that wraps non-discoverable credential IDs and derives hmac-secret keys; rotated by reset. */
  masterSecret: string;
  /** The global signature counter. */
  signCount: number;
  /** Discoverable credentials, oldest first. */
  credentials: VirtualCredentialState[];
  /** LEFT(SHA-256(PIN), 16) and the PIN's length in code points, once a PIN is set. */
  pin?: { hash: string; length: number };
  /** PIN attempts left (8 at most); 0 blocks the PIN until reset. */
  pinRetries?: number;
  /** Built-in user verification attempts left (8 at most). */
  uvRetries?: number;
  /** Set by authenticatorConfig setMinPINLength: no token until the PIN is changed. */
  forcePinChange?: boolean;
  /** The current minimum PIN length in code points. */
  minPinLength?: number;
  /** RP IDs that may read minPinLength through the extension. */
  minPinLengthRpIds?: string[];
  alwaysUv?: boolean;
  enterpriseAttestation?: boolean;
  /** Enrolled fingers, in enrollment order. */
  fingerprints?: VirtualFingerprintState[];
  /** The serialized large-blob array, hash included. */
  largeBlobArray?: string;
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
  /** credProtect level; absent means 1 (userVerificationOptional). */
  credProtect?: number;
  /** Made with hmac-secret: true. */
  hmacSecret?: boolean;
  credBlob?: string;
  /** 32 bytes, for credentials made with largeBlobKey: true. */
  largeBlobKey?: string;
}

export interface VirtualFingerprintState {
  id: string;
  /** The finger's name as the presence handler reports it (e.g. 'right-index'). */
  finger: string;
  friendlyName?: string;
}

export interface StoredUser {
  id: Uint8Array;
  name?: string;
  displayName?: string;
  icon?: string;
}

/** credProtect levels (CTAP 2.2 section 12.1). */
export const CredProtect = {
  userVerificationOptional: 1,
  userVerificationOptionalWithCredentialIDList: 2,
  userVerificationRequired: 3,
} as const;

/** What every credential of this key carries besides its key pair, wrapped into non-discoverable IDs too. */
export interface CredentialExtras {
  credProtect: number;
  hmacSecret: boolean;
  credBlob?: Uint8Array;
}

export interface ResidentCredential extends CredentialExtras {
  id: Uint8Array;
  rpId: string;
  rpIdHash: Uint8Array;
  rpName?: string;
  user: StoredUser;
  alg: CredentialAlgorithm;
  privateKey: KeyObject;
  largeBlobKey?: Uint8Array;
}

export interface Fingerprint {
  id: Uint8Array;
  finger: string;
  friendlyName?: string;
}

const STATE_FORMAT = 'latchkey-virtual-authenticator';
const MASTER_SECRET_SIZE = 32;
const MAX_SIGN_COUNT = 0xffffffff;
/** CTAP 2.2 section 6.5.2.2: the PIN retries counter starts at (and is reset to) 8. */
export const MAX_PIN_RETRIES = 8;
/** Built-in UV attempts before UV is blocked (section 6.5.2.3 leaves the number to the key; YubiKey Bio uses 8 too). */
export const MAX_UV_RETRIES = 8;
/** CTAP's absolute minimum PIN length (section 6.5.1). */
const SPEC_MIN_PIN_LENGTH = 4;
const PIN_HASH_SIZE = 16;
// Purpose labels for HKDF, so each secret the master derives is independent of the others.
const WRAPPING_KEY_INFO = Buffer.from('latchkey virtual authenticator: credential id wrapping');
const CRED_RANDOM_KEY_INFO = Buffer.from('latchkey virtual authenticator: hmac-secret CredRandom');

/** CTAP 2.2 section 6.10.2: an empty CBOR array (0x80) followed by LEFT(SHA-256(0x80), 16). */
function initialLargeBlobArray(): Uint8Array {
  const empty = Uint8Array.of(0x80);
  return concatBytes(empty, createHash('sha256').update(empty).digest().subarray(0, 16));
}

/** What the key is back at after authenticatorReset, taken from its profile. */
interface FactorySettings {
  minPinLength: number;
  alwaysUv: boolean;
}

export class PersistentState {
  private master: KeyObject;
  private wrapping: KeyObject;
  private credRandomKey: KeyObject;
  /** Discoverable credentials in creation order: the last is the most recent. */
  private readonly residents: ResidentCredential[];
  private pinHashValue: Uint8Array | undefined;
  /** The PIN's length in Unicode code points, compared against the minimum PIN length. */
  pinLength = 0;
  pinRetries = MAX_PIN_RETRIES;
  uvRetries = MAX_UV_RETRIES;
  forcePinChange = false;
  minPinLength: number;
  minPinLengthRpIds: string[] = [];
  alwaysUv: boolean;
  enterpriseAttestation = false;
  readonly fingerprints: Fingerprint[] = [];
  largeBlobArray: Uint8Array = initialLargeBlobArray();

  private constructor(
    readonly aaguid: Uint8Array,
    masterSecret: Uint8Array,
    public signCount: number,
    residents: ResidentCredential[],
    private readonly factory: FactorySettings,
  ) {
    this.master = createSecretKey(masterSecret);
    this.wrapping = deriveKey(masterSecret, WRAPPING_KEY_INFO);
    this.credRandomKey = deriveKey(masterSecret, CRED_RANDOM_KEY_INFO);
    zeroize(masterSecret);
    this.residents = residents;
    this.minPinLength = factory.minPinLength;
    this.alwaysUv = factory.alwaysUv;
  }

  static create(profile: VirtualProfile): PersistentState {
    return new PersistentState(
      parseAaguid(profile.aaguid),
      randomFillSync(new Uint8Array(MASTER_SECRET_SIZE)),
      0,
      [],
      factorySettings(profile),
    );
  }

  static fromJSON(json: VirtualAuthenticatorState, profile: VirtualProfile): PersistentState {
    if (json.format !== STATE_FORMAT || (json.version !== 1 && json.version !== 2)) {
      throw new TypeError(
        `virtual authenticator state has format ${String(json.format)} version ${String(json.version)}, expected ${STATE_FORMAT} version 1 or 2`,
      );
    }
    if (!Number.isInteger(json.signCount) || json.signCount < 0 || json.signCount > MAX_SIGN_COUNT) {
      throw new TypeError(`virtual authenticator state signCount ${json.signCount} is not a 32-bit unsigned integer`);
    }
    const master = secretFromBase64Url(json.masterSecret);
    if (master.length !== MASTER_SECRET_SIZE) {
      zeroize(master);
      throw new TypeError(
        `virtual authenticator state masterSecret is ${master.length} bytes, expected ${MASTER_SECRET_SIZE}`,
      );
    }
    const state = new PersistentState(
      parseAaguid(json.aaguid),
      master,
      json.signCount,
      json.credentials.map(residentFromJSON),
      factorySettings(profile),
    );
    if (json.pin) {
      const hash = ownedSecret(json.pin.hash);
      if (hash.length !== PIN_HASH_SIZE)
        throw new TypeError(`virtual authenticator state PIN hash is ${hash.length} bytes, expected ${PIN_HASH_SIZE}`);
      state.pinHashValue = hash;
      state.pinLength = json.pin.length;
    }
    state.pinRetries = counter(json.pinRetries, MAX_PIN_RETRIES, 'pinRetries');
    state.uvRetries = counter(json.uvRetries, MAX_UV_RETRIES, 'uvRetries');
    state.forcePinChange = json.forcePinChange ?? false;
    state.minPinLength = json.minPinLength ?? state.minPinLength;
    state.minPinLengthRpIds = [...(json.minPinLengthRpIds ?? [])];
    state.alwaysUv = json.alwaysUv ?? state.alwaysUv;
    state.enterpriseAttestation = json.enterpriseAttestation ?? false;
    for (const fp of json.fingerprints ?? []) {
      const fingerprint: Fingerprint = { id: fromBase64Url(fp.id), finger: fp.finger };
      if (fp.friendlyName !== undefined) fingerprint.friendlyName = fp.friendlyName;
      state.fingerprints.push(fingerprint);
    }
    if (json.largeBlobArray !== undefined) state.largeBlobArray = fromBase64Url(json.largeBlobArray);
    return state;
  }

  toJSON(profileName: string): VirtualAuthenticatorState {
    const master = this.master.export();
    try {
      const json: VirtualAuthenticatorState = {
        format: STATE_FORMAT,
        version: 2,
        profile: profileName,
        aaguid: formatAaguid(this.aaguid),
        masterSecret: toBase64Url(master),
        signCount: this.signCount,
        credentials: this.residents.map(residentToJSON),
        pinRetries: this.pinRetries,
        uvRetries: this.uvRetries,
        forcePinChange: this.forcePinChange,
        minPinLength: this.minPinLength,
        minPinLengthRpIds: [...this.minPinLengthRpIds],
        alwaysUv: this.alwaysUv,
        enterpriseAttestation: this.enterpriseAttestation,
        fingerprints: this.fingerprints.map(fingerprintToJSON),
        largeBlobArray: toBase64Url(this.largeBlobArray),
      };
      if (this.pinHashValue) json.pin = { hash: toBase64Url(this.pinHashValue), length: this.pinLength };
      return json;
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

  // --- PIN ---------------------------------------------------------------------------------------------------------

  get pinSet(): boolean {
    return this.pinHashValue !== undefined;
  }

  /** Whether `hash` is LEFT(SHA-256(PIN), 16) of the PIN set, compared in constant time. */
  pinHashMatches(hash: Uint8Array): boolean {
    const stored = this.pinHashValue;
    return stored !== undefined && hash.length === stored.length && timingSafeEqual(stored, hash);
  }

  /** Stores a new PIN (its bytes, not kept) and its length in code points; the retries counter starts over. */
  setPin(pin: Uint8Array, codePoints: number): void {
    const digest = createHash('sha256').update(pin).digest();
    zeroize(this.pinHashValue);
    this.pinHashValue = new Uint8Array(digest.subarray(0, PIN_HASH_SIZE));
    zeroize(digest);
    this.pinLength = codePoints;
    this.pinRetries = MAX_PIN_RETRIES;
    this.forcePinChange = false;
  }

  // --- hmac-secret ---------------------------------------------------------------------------------------------------

  /**
   * CredRandomWithUV or CredRandomWithoutUV (CTAP 2.2 section 12.5) of a credential: derived from the device secret and
   * the credential ID, so wrapped credentials need no storage and a reset changes every one. The caller zeroes it.
   */
  credRandom(credentialId: Uint8Array, withUv: boolean): Uint8Array {
    const mac = createHmac('sha256', this.credRandomKey)
      .update(Uint8Array.of(withUv ? 1 : 0))
      .update(credentialId)
      .digest();
    const out = new Uint8Array(mac);
    zeroize(mac);
    return out;
  }

  // --- discoverable credentials ------------------------------------------------------------------------------------

  get residentCount(): number {
    return this.residents.length;
  }

  /** Every discoverable credential, oldest first. */
  get allResidents(): readonly ResidentCredential[] {
    return this.residents;
  }

  findResident(rpId: string, id: Uint8Array): ResidentCredential | undefined {
    return this.residents.find((c) => c.rpId === rpId && equalBytes(c.id, id));
  }

  findResidentById(id: Uint8Array): ResidentCredential | undefined {
    return this.residents.find((c) => equalBytes(c.id, id));
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
    const existing = this.residents.findIndex(
      (c) => c.rpId === credential.rpId && equalBytes(c.user.id, credential.user.id),
    );
    if (existing >= 0) forgetResident(this.residents.splice(existing, 1));
    this.residents.push(credential);
  }

  deleteResident(credential: ResidentCredential): void {
    const index = this.residents.indexOf(credential);
    if (index >= 0) forgetResident(this.residents.splice(index, 1));
  }

  /** authenticatorReset: forget credentials, PIN, fingerprints, blobs and settings, and rotate the device secret. */
  wipe(): void {
    forgetResident(this.residents.splice(0));
    const fresh = randomFillSync(new Uint8Array(MASTER_SECRET_SIZE));
    this.master = createSecretKey(fresh);
    this.wrapping = deriveKey(fresh, WRAPPING_KEY_INFO);
    this.credRandomKey = deriveKey(fresh, CRED_RANDOM_KEY_INFO);
    zeroize(fresh, this.pinHashValue);
    this.pinHashValue = undefined;
    this.pinLength = 0;
    this.pinRetries = MAX_PIN_RETRIES;
    this.uvRetries = MAX_UV_RETRIES;
    this.forcePinChange = false;
    this.minPinLength = this.factory.minPinLength;
    this.minPinLengthRpIds = [];
    this.alwaysUv = this.factory.alwaysUv;
    this.enterpriseAttestation = false;
    this.fingerprints.length = 0;
    this.largeBlobArray = initialLargeBlobArray();
  }
}

function factorySettings(profile: VirtualProfile): FactorySettings {
  return { minPinLength: profile.minPinLength ?? SPEC_MIN_PIN_LENGTH, alwaysUv: profile.options.alwaysUv === true };
}

function forgetResident(removed: ResidentCredential[]): void {
  for (const credential of removed) zeroize(credential.largeBlobKey, credential.credBlob);
}

function counter(value: number | undefined, max: number, name: string): number {
  if (value === undefined) return max;
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new TypeError(`virtual authenticator state ${name} ${value} is not in 0..${max}`);
  return value;
}

function deriveKey(masterSecret: Uint8Array, info: Uint8Array): KeyObject {
  const derived = new Uint8Array(hkdfSync('sha256', masterSecret, new Uint8Array(0), info, 32));
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

/** A secret as a plain Uint8Array of its own (a Buffer's slice() would share memory), the decoded Buffer zeroed. */
function ownedSecret(text: string): Uint8Array {
  const decoded = secretFromBase64Url(text);
  const owned = new Uint8Array(decoded);
  zeroize(decoded);
  return owned;
}

function parseAaguid(text: string): Uint8Array {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`AAGUID "${text}" is not a UUID`);
  return fromHex(hex);
}

function residentFromJSON(json: VirtualCredentialState, index: number): ResidentCredential {
  if (!isCredentialAlgorithm(json.alg))
    throw new TypeError(`stored credential ${index} has unsupported COSE algorithm ${json.alg}`);
  const der = secretFromBase64Url(json.privateKey);
  try {
    const credential: ResidentCredential = {
      id: fromBase64Url(json.id),
      rpId: json.rpId,
      rpIdHash: rpIdHash(json.rpId),
      user: userFromJSON(json.user),
      alg: json.alg,
      privateKey: privateKeyFromPkcs8(json.alg, der),
      credProtect: json.credProtect ?? CredProtect.userVerificationOptional,
      hmacSecret: json.hmacSecret ?? false,
    };
    if (json.rpName !== undefined) credential.rpName = json.rpName;
    if (json.credBlob !== undefined) credential.credBlob = fromBase64Url(json.credBlob);
    if (json.largeBlobKey !== undefined) credential.largeBlobKey = ownedSecret(json.largeBlobKey);
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
    if (credential.credProtect !== CredProtect.userVerificationOptional) json.credProtect = credential.credProtect;
    if (credential.hmacSecret) json.hmacSecret = true;
    if (credential.credBlob !== undefined) json.credBlob = toBase64Url(credential.credBlob);
    if (credential.largeBlobKey !== undefined) json.largeBlobKey = toBase64Url(credential.largeBlobKey);
    return json;
  } finally {
    zeroize(der);
  }
}

function fingerprintToJSON(fingerprint: Fingerprint): VirtualFingerprintState {
  const json: VirtualFingerprintState = { id: toBase64Url(fingerprint.id), finger: fingerprint.finger };
  if (fingerprint.friendlyName !== undefined) json.friendlyName = fingerprint.friendlyName;
  return json;
}
