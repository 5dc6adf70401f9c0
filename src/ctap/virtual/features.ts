// What this implementation of the virtual key can do; getInfo advertises the part of a profile that is implemented.

import { CoseAlgorithm } from '../ctap2/constants.js';
import type { VirtualProfile } from './profiles.js';

// Features arrive one issue at a time (ClientPin, credProtect, hmac-secret, credMgmt...). A profile lists what the
// hardware has; only entries named here are advertised, so a client never sees a feature the double cannot honour.
const IMPLEMENTED_OPTIONS: ReadonlySet<string> = new Set(['rk', 'up', 'plat']);
const IMPLEMENTED_EXTENSIONS: ReadonlySet<string> = new Set<string>();
const IMPLEMENTED_PIN_UV_AUTH_PROTOCOLS: ReadonlySet<number> = new Set<number>();
const IMPLEMENTED_ALGORITHMS: ReadonlySet<number> = new Set([CoseAlgorithm.ES256, CoseAlgorithm.EdDSA]);

export interface AdvertisedFeatures {
  options: ReadonlyMap<string, boolean>;
  extensions: readonly string[];
  pinUvAuthProtocols: readonly number[];
  algorithms: readonly number[];
}

export function advertisedFeatures(profile: VirtualProfile): AdvertisedFeatures {
  return {
    options: new Map(Object.entries(profile.options).filter(([name]) => IMPLEMENTED_OPTIONS.has(name))),
    extensions: profile.extensions.filter((name) => IMPLEMENTED_EXTENSIONS.has(name)),
    pinUvAuthProtocols: profile.pinUvAuthProtocols.filter((p) => IMPLEMENTED_PIN_UV_AUTH_PROTOCOLS.has(p)),
    algorithms: profile.algorithms.filter((alg) => IMPLEMENTED_ALGORITHMS.has(alg)),
  };
}
