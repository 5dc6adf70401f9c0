// The virtual security key: a spec-faithful CTAP 2.1 authenticator over in-memory CTAPHID, for tests and demos.
export { VirtualAuthenticator, type VirtualAuthenticatorOptions } from './VirtualAuthenticator.js';
export type { PresenceAnswer, PresenceHandler, PresencePurpose, PresenceRequest } from './presence.js';
export { VIRTUAL_PROFILES, type VirtualFingerprintSensor, type VirtualProfile, type VirtualProfileName } from './profiles.js';
export type { VirtualAuthenticatorState, VirtualCredentialState, VirtualFingerprintState } from './state.js';
export type { ProcessCtap2Options } from './ctap2/processCtap2.js';
