// The virtual security key's public API: a spec-faithful CTAP 2.1 authenticator over in-memory CTAPHID or as a contactless card, for tests and demos.
// test/ctap/publicApi.test.ts pins the runtime export names, so a change here is a deliberate change of the API.

export { VirtualAuthenticator, type VirtualAuthenticatorOptions } from './VirtualAuthenticator.js';
export type { PresenceAnswer, PresenceHandler, PresencePurpose, PresenceRequest } from './presence.js';
export {
  VIRTUAL_PROFILES,
  isVirtualProfileName,
  speaksCtap2,
  speaksU2f,
  type VirtualFingerprintSensor,
  type VirtualProfile,
  type VirtualProfileName,
} from './profiles.js';
export type { VirtualAuthenticatorState, VirtualCredentialState, VirtualFingerprintState } from './state.js';
export type { ProcessCtap2Options } from './ctap2/processCtap2.js';
export { VirtualNfcCard, type VirtualNfcCardOptions, type VirtualNfcProfile } from './nfc/VirtualNfcCard.js';
export type { Ctap2Processor, Ctap2ProcessOptions } from './nfc/Ctap2Processor.js';
export { smartCardConnection, type ApduResponder } from './nfc/smartCardConnection.js';
export { virtualCardAtr, isVirtualCardAtr } from './nfc/virtualCardAtr.js';
