// The security key models the VirtualAuthenticator impersonates, as data: what getInfo and CTAPHID INIT say about them.

import { CoseAlgorithm } from '../ctap2/constants.js';

/** The simulated fingerprint sensor of a biometric key (CTAP 2.2 section 6.7). */
export interface VirtualFingerprintSensor {
  /** getFingerprintSensorInfo maxCaptureSamplesRequiredForEnroll: good touches per enrollment. */
  readonly samplesPerEnrollment: number;
  /** How many fingers fit; enrollBegin beyond it is CTAP2_ERR_FP_DATABASE_FULL. */
  readonly maxTemplates: number;
  /** getFingerprintSensorInfo maxTemplateFriendlyName: the longest friendly name in UTF-8 bytes. */
  readonly maxTemplateFriendlyName: number;
}

/**
 * One model of security key. A profile describes the hardware; the authenticator advertises the part of it that
 * this implementation supports (see `features.ts`), so a later feature lights up in every profile that has it.
 */
export interface VirtualProfile {
  /** Stored in the state JSON, so a restored key keeps its model. */
  readonly name: string;
  /** What a person would call the key. */
  readonly description: string;
  /** getInfo 0x03 and the attested credential data, as UUID text. */
  readonly aaguid: string;
  /** getInfo 0x01, in the key's own order. */
  readonly versions: readonly string[];
  /** getInfo 0x02: extensions the hardware implements. */
  readonly extensions: readonly string[];
  /**
   * getInfo 0x04: options the hardware reports, with their factory values. clientPin, uv, bioEnroll,
   * userVerificationMgmtPreview, alwaysUv and ep follow the key's state at run time; their presence here says the key
   * has the feature.
   */
  readonly options: Readonly<Record<string, boolean>>;
  /** getInfo 0x05: the longest CTAP2 request (command byte and CBOR) the key accepts. */
  readonly maxMsgSize: number;
  /** getInfo 0x06, in the key's order of preference. */
  readonly pinUvAuthProtocols: readonly number[];
  /** getInfo 0x07: longest allowList or excludeList accepted. */
  readonly maxCredentialCountInList?: number;
  /** getInfo 0x08. */
  readonly maxCredentialIdLength?: number;
  /** getInfo 0x09. */
  readonly transports: readonly string[];
  /** getInfo 0x0a: COSE algorithms in the key's order. */
  readonly algorithms: readonly number[];
  /** getInfo 0x0b: room for the serialized large-blob array, for keys with the largeBlobs option. */
  readonly maxSerializedLargeBlobArray?: number;
  /** getInfo 0x0d at the factory (and after reset): the shortest PIN, in Unicode code points. @default 4 */
  readonly minPinLength?: number;
  /** getInfo 0x0e: major << 16 | minor << 8 | patch, as YubiKeys encode it. */
  readonly firmwareVersion?: number;
  /** getInfo 0x0f: the largest credBlob stored, for keys with the credBlob extension. */
  readonly maxCredBlobLength?: number;
  /** getInfo 0x10: how many RP IDs setMinPINLength may name for the minPinLength extension. */
  readonly maxRPIDsForSetMinPINLength?: number;
  /** getInfo 0x11: fingerprint attempts the platform should allow before falling back to the PIN. */
  readonly preferredPlatformUvAttempts?: number;
  /** getInfo 0x12: FIDO registry user verification method bits (0x02: fingerprint_internal). */
  readonly uvModality?: number;
  /** Slots for discoverable credentials (the basis of getInfo 0x14). */
  readonly maxDiscoverableCredentials: number;
  /** Length of the pinUvAuthToken handed out with PIN/UV auth protocol one: 16 on CTAP 2.0 keys, 32 since. @default 32 */
  readonly pinTokenLength?: 16 | 32;
  /** The fingerprint sensor, for keys with built-in user verification. */
  readonly fingerprint?: VirtualFingerprintSensor;
  /**
   * The status for a request whose CBOR maps are not in canonical key order. Most keys call it malformed CBOR; Google
   * Titan keys read such maps as missing their parameters. @default 'invalid-cbor'
   */
  readonly unsortedMapStatus?: 'invalid-cbor' | 'missing-parameter';
  /** CTAPHID INIT answer: major, minor and build device version numbers. */
  readonly deviceVersion: readonly [major: number, minor: number, build: number];
  /** Whether CTAPHID_WINK does something (the WINK capability bit). */
  readonly wink: boolean;
}

/** FIDO Registry of Predefined Values section 3.1: USER_VERIFY_FINGERPRINT_INTERNAL. */
const UV_FINGERPRINT_INTERNAL = 0x02;

/** What the YubiKeys of firmware 5.4 and later have in common. */
const YUBIKEY_21_EXTENSIONS = ['credProtect', 'hmac-secret', 'largeBlobKey', 'credBlob', 'minPinLength'] as const;

/** YubiKey 5 NFC, firmware 5.4.3: a row of its own and the base of the generic CTAP 2.2 model. */
const YUBIKEY5 = {
  name: 'yubikey5',
  description: 'YubiKey 5 NFC (firmware 5.4.3)',
  aaguid: 'ee882879-721c-4913-9775-3dfcce97072a',
  // As the 5.4 hardware does: FIDO_2_1_PRE stays listed for platforms that only know the preview commands.
  versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1'],
  extensions: YUBIKEY_21_EXTENSIONS,
  options: {
    rk: true,
    up: true,
    plat: false,
    clientPin: false,
    credentialMgmtPreview: true,
    largeBlobs: true,
    pinUvAuthToken: true,
    setMinPINLength: true,
    makeCredUvNotRqd: true,
    credMgmt: true,
    authnrCfg: true,
    alwaysUv: false,
  },
  maxMsgSize: 1200,
  pinUvAuthProtocols: [2, 1],
  maxCredentialCountInList: 8,
  maxCredentialIdLength: 128,
  transports: ['nfc', 'usb'],
  algorithms: [CoseAlgorithm.ES256, CoseAlgorithm.EdDSA],
  maxSerializedLargeBlobArray: 1024,
  minPinLength: 4,
  firmwareVersion: 0x050403,
  maxCredBlobLength: 32,
  maxRPIDsForSetMinPINLength: 1,
  maxDiscoverableCredentials: 25,
  deviceVersion: [5, 4, 3],
  wink: true,
} as const satisfies VirtualProfile;

/** The profile table: one row per model of key. */
export const VIRTUAL_PROFILES = {
  yubikey5: YUBIKEY5,
  yubikeyBio: {
    name: 'yubikeyBio',
    description: 'YubiKey Bio - FIDO Edition (firmware 5.5)',
    aaguid: 'd8522d9f-575b-4866-88a9-ba99fa02f35b',
    versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1'],
    extensions: YUBIKEY_21_EXTENSIONS,
    options: {
      rk: true,
      up: true,
      uv: false,
      plat: false,
      alwaysUv: false,
      credMgmt: true,
      authnrCfg: true,
      bioEnroll: false,
      clientPin: false,
      largeBlobs: true,
      uvBioEnroll: true,
      pinUvAuthToken: true,
      setMinPINLength: true,
      makeCredUvNotRqd: true,
      credentialMgmtPreview: true,
      userVerificationMgmtPreview: false,
    },
    maxMsgSize: 1200,
    pinUvAuthProtocols: [2, 1],
    maxCredentialCountInList: 8,
    maxCredentialIdLength: 128,
    transports: ['usb'],
    algorithms: [CoseAlgorithm.ES256, CoseAlgorithm.EdDSA],
    maxSerializedLargeBlobArray: 1024,
    minPinLength: 4,
    firmwareVersion: 0x050506,
    maxCredBlobLength: 32,
    maxRPIDsForSetMinPINLength: 1,
    preferredPlatformUvAttempts: 3,
    uvModality: UV_FINGERPRINT_INTERNAL,
    maxDiscoverableCredentials: 25,
    fingerprint: { samplesPerEnrollment: 4, maxTemplates: 5, maxTemplateFriendlyName: 15 },
    deviceVersion: [5, 5, 6],
    wink: true,
  },
  ctap21pre: {
    name: 'ctap21pre',
    description: 'Feitian BioPass FIDO2 (FIDO_2_1_PRE: preview credential and fingerprint management)',
    aaguid: '77010bd7-212a-4fc9-b236-d2ca5e9d4084',
    versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE'],
    extensions: ['credProtect', 'hmac-secret'],
    options: {
      rk: true,
      up: true,
      uv: false,
      plat: false,
      clientPin: false,
      credentialMgmtPreview: true,
      userVerificationMgmtPreview: false,
    },
    maxMsgSize: 1200,
    pinUvAuthProtocols: [1],
    maxCredentialCountInList: 10,
    maxCredentialIdLength: 96,
    transports: ['usb'],
    algorithms: [CoseAlgorithm.ES256],
    maxDiscoverableCredentials: 50,
    fingerprint: { samplesPerEnrollment: 4, maxTemplates: 10, maxTemplateFriendlyName: 32 },
    deviceVersion: [1, 0, 0],
    wink: true,
  },
  ctap20: {
    name: 'ctap20',
    description: 'SoloKeys Solo 1 (CTAP 2.0 firmware)',
    aaguid: '8876631b-d4a0-427f-5773-0ec71c9e0279',
    versions: ['U2F_V2', 'FIDO_2_0'],
    extensions: ['hmac-secret'],
    options: { rk: true, up: true, plat: false, clientPin: false },
    maxMsgSize: 1200,
    pinUvAuthProtocols: [1],
    maxCredentialCountInList: 20,
    maxCredentialIdLength: 128,
    transports: ['usb'],
    algorithms: [CoseAlgorithm.ES256, CoseAlgorithm.EdDSA],
    maxDiscoverableCredentials: 50,
    pinTokenLength: 16,
    deviceVersion: [3, 0, 0],
    wink: true,
  },
  u2fOnly: {
    name: 'u2fOnly',
    description: 'Yubico FIDO U2F Security Key (U2F only, no CTAP2)',
    // U2F keys have no AAGUID; the all-zero one is what a platform records for them.
    aaguid: '00000000-0000-0000-0000-000000000000',
    versions: ['U2F_V2'],
    extensions: [],
    options: {},
    maxMsgSize: 1024,
    pinUvAuthProtocols: [],
    transports: ['usb'],
    algorithms: [CoseAlgorithm.ES256],
    maxDiscoverableCredentials: 0,
    deviceVersion: [4, 1, 8],
    wink: true,
  },
  titanK52: {
    name: 'titanK52',
    description: 'Google Titan Security Key v2 (K52, USB-C/NFC)',
    aaguid: '42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3',
    versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1'],
    extensions: ['credProtect', 'hmac-secret'],
    options: {
      rk: true,
      up: true,
      plat: false,
      clientPin: false,
      credMgmt: true,
      pinUvAuthToken: true,
      makeCredUvNotRqd: true,
    },
    maxMsgSize: 1024,
    pinUvAuthProtocols: [2, 1],
    maxCredentialCountInList: 8,
    maxCredentialIdLength: 128,
    transports: ['usb', 'nfc'],
    algorithms: [CoseAlgorithm.ES256],
    minPinLength: 4,
    maxDiscoverableCredentials: 250,
    unsortedMapStatus: 'missing-parameter',
    deviceVersion: [1, 0, 0],
    wink: false,
  },
  ctap22: {
    // No product is modelled: YubiKey 5 plus what CTAP 2.2 adds that this key implements (hmac-secret-mc), so clients
    // can be tested against a 2.2 key before one is at hand. The AAGUID is a made-up constant.
    ...YUBIKEY5,
    name: 'ctap22',
    description: 'Generic CTAP 2.2 security key (a test model, not a real product)',
    aaguid: 'b5430aca-c872-475f-963b-2e6d96000af3',
    versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1', 'FIDO_2_2'],
    extensions: [...YUBIKEY_21_EXTENSIONS, 'hmac-secret-mc'],
    firmwareVersion: 0x020200,
    deviceVersion: [2, 2, 0],
  },
} as const satisfies Record<string, VirtualProfile>;

export type VirtualProfileName = keyof typeof VIRTUAL_PROFILES;

export const DEFAULT_PROFILE: VirtualProfileName = 'yubikey5';

export function isVirtualProfileName(name: string): name is VirtualProfileName {
  return Object.hasOwn(VIRTUAL_PROFILES, name);
}

/** The profile for a name or the profile object itself; an unknown name is a programming error. */
export function resolveProfile(profile: VirtualProfileName | VirtualProfile | string): VirtualProfile {
  if (typeof profile !== 'string') return profile;
  if (!isVirtualProfileName(profile)) {
    throw new RangeError(
      `unknown virtual authenticator profile "${profile}", expected one of ${Object.keys(VIRTUAL_PROFILES).join(', ')}`,
    );
  }
  return VIRTUAL_PROFILES[profile];
}

/** CTAP2 (CTAPHID_CBOR, NFCCTAP_MSG) is spoken by keys that list a FIDO_2_x version. */
export function speaksCtap2(profile: VirtualProfile): boolean {
  return profile.versions.some((v) => v.startsWith('FIDO_2_'));
}

/** U2F (CTAPHID_MSG) is spoken by keys that list U2F_V2. */
export function speaksU2f(profile: VirtualProfile): boolean {
  return profile.versions.includes('U2F_V2');
}

/** CTAP 2.1 brought authenticatorSelection, getInfo's remainingDiscoverableCredentials and the token rules of section 6.5.2. */
export function speaksCtap21(profile: VirtualProfile): boolean {
  return profile.versions.includes('FIDO_2_1');
}

/** Keys of the FIDO_2_1_PRE draft (and no later): their answers follow CTAP 2.1 where the draft already did. */
export function speaksCtap21Draft(profile: VirtualProfile): boolean {
  return speaksCtap21(profile) || profile.versions.includes('FIDO_2_1_PRE');
}
