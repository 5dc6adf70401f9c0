// The security key models the VirtualAuthenticator impersonates, as data: what getInfo and CTAPHID INIT say about them.

import { CoseAlgorithm } from '../ctap2/constants.js';

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
  /** getInfo 0x04: options the hardware reports, with their factory values. */
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
  /** getInfo 0x0e: major << 16 | minor << 8 | patch, as YubiKeys encode it. */
  readonly firmwareVersion?: number;
  /** Slots for discoverable credentials (the basis of getInfo 0x14). */
  readonly maxDiscoverableCredentials: number;
  /** CTAPHID INIT answer: major, minor and build device version numbers. */
  readonly deviceVersion: readonly [major: number, minor: number, build: number];
  /** Whether CTAPHID_WINK does something (the WINK capability bit). */
  readonly wink: boolean;
}

/** The profile table. Later profiles (yubikeyBio, ctap21pre, ctap20, u2fOnly, titanK52) are rows added here. */
export const VIRTUAL_PROFILES = {
  yubikey5: {
    name: 'yubikey5',
    description: 'YubiKey 5 NFC (firmware 5.4.3)',
    aaguid: 'ee882879-721c-4913-9775-3dfcce97072a',
    versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1'],
    extensions: ['credProtect', 'hmac-secret'],
    options: { rk: true, up: true, plat: false, clientPin: false, credMgmt: true },
    maxMsgSize: 1200,
    pinUvAuthProtocols: [2, 1],
    maxCredentialCountInList: 8,
    maxCredentialIdLength: 128,
    transports: ['nfc', 'usb'],
    algorithms: [CoseAlgorithm.ES256, CoseAlgorithm.EdDSA],
    firmwareVersion: 0x050403,
    maxDiscoverableCredentials: 25,
    deviceVersion: [5, 4, 3],
    wink: true,
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
    throw new RangeError(`unknown virtual authenticator profile "${profile}", expected one of ${Object.keys(VIRTUAL_PROFILES).join(', ')}`);
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

/** CTAP 2.1 brought authenticatorSelection and getInfo's remainingDiscoverableCredentials. */
export function speaksCtap21(profile: VirtualProfile): boolean {
  return profile.versions.includes('FIDO_2_1');
}
