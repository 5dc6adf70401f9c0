// What this implementation of the virtual key can do; getInfo advertises the part of a profile that is implemented.

import { CoseAlgorithm } from '../ctap2/constants.js';
import type { VirtualProfile } from './profiles.js';

// A profile lists what the hardware has; only entries named here are advertised, so a client never sees a feature the
// double cannot honour.
const IMPLEMENTED_OPTIONS: ReadonlySet<string> = new Set([
  'rk',
  'up',
  'uv',
  'plat',
  'clientPin',
  'pinUvAuthToken',
  'credMgmt',
  'credentialMgmtPreview',
  'bioEnroll',
  'userVerificationMgmtPreview',
  'uvBioEnroll',
  'largeBlobs',
  'authnrCfg',
  'alwaysUv',
  'setMinPINLength',
  'makeCredUvNotRqd',
  'ep',
]);
const IMPLEMENTED_EXTENSIONS: ReadonlySet<string> = new Set([
  'credProtect',
  'hmac-secret',
  'hmac-secret-mc',
  'credBlob',
  'minPinLength',
  'largeBlobKey',
]);
const IMPLEMENTED_PIN_UV_AUTH_PROTOCOLS: ReadonlySet<number> = new Set([1, 2]);
const IMPLEMENTED_ALGORITHMS: ReadonlySet<number> = new Set([CoseAlgorithm.ES256, CoseAlgorithm.EdDSA]);

export interface AdvertisedFeatures {
  /** Options with their factory values; getInfo overlays the ones that follow the key's state. */
  options: ReadonlyMap<string, boolean>;
  extensions: readonly string[];
  pinUvAuthProtocols: readonly number[];
  algorithms: readonly number[];
}

const cache = new WeakMap<VirtualProfile, AdvertisedFeatures>();

export function advertisedFeatures(profile: VirtualProfile): AdvertisedFeatures {
  let features = cache.get(profile);
  if (!features) {
    features = {
      options: new Map(Object.entries(profile.options).filter(([name]) => IMPLEMENTED_OPTIONS.has(name))),
      extensions: profile.extensions.filter((name) => IMPLEMENTED_EXTENSIONS.has(name)),
      pinUvAuthProtocols: profile.pinUvAuthProtocols.filter((p) => IMPLEMENTED_PIN_UV_AUTH_PROTOCOLS.has(p)),
      algorithms: profile.algorithms.filter((alg) => IMPLEMENTED_ALGORITHMS.has(alg)),
    };
    cache.set(profile, features);
  }
  return features;
}

/** Whether the key has the feature an option names, whatever its current value (clientPin false: no PIN set yet). */
export function hasOption(profile: VirtualProfile, option: string): boolean {
  return advertisedFeatures(profile).options.has(option);
}

/** Whether the key takes the extension (it is advertised). */
export function hasExtension(profile: VirtualProfile, extension: string): boolean {
  return advertisedFeatures(profile).extensions.includes(extension);
}

/** Whether the key speaks this PIN/UV auth protocol. */
export function hasPinUvAuthProtocol(profile: VirtualProfile, protocol: number): boolean {
  return advertisedFeatures(profile).pinUvAuthProtocols.includes(protocol);
}

/** Whether the key has built-in user verification (a fingerprint sensor). */
export function hasBuiltInUv(profile: VirtualProfile): boolean {
  return profile.fingerprint !== undefined && hasOption(profile, 'uv');
}
