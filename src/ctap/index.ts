// Public API of Latchkey's CTAP 2.x client library (DESIGN.md section 2).

export type { HidConnection, SmartCardConnection, CtapDevice, CtapTransport, CallOptions } from './transport.js';
export { TransportError, ProtocolError, CtapError, ClientError, toClientError, ctapStatusName } from './errors.js';
export type { TransportErrorCode, ClientErrorReason } from './errors.js';
export { CtapStatus } from './ctap2/status.js';
export { CtapHidDevice, type CtapHidDeviceOptions, type CtapHidDeviceVersion } from './hid/CtapHidDevice.js';
export { CtapHidCmd, CtapHidCapability, CtapHidError, KeepaliveStatus, MAX_MESSAGE_SIZE } from './hid/constants.js';
export { Ctap2, type Ctap2Options } from './ctap2/Ctap2.js';
export { Ctap2Cmd, AuthDataFlag, CoseAlgorithm } from './ctap2/constants.js';
export type { AuthenticatorInfo, PublicKeyCredentialParameters } from './ctap2/info.js';
export type { AuthenticatorData, AuthenticatorDataFlags, AttestedCredentialData } from './ctap2/authenticatorData.js';
export { parseAuthenticatorData } from './ctap2/authenticatorData.js';
export type { MakeCredentialParams, MakeCredentialOptions, AttestationResponse } from './ctap2/makeCredential.js';
export type { GetAssertionParams, GetAssertionOptions, AssertionResponse } from './ctap2/getAssertion.js';
export type { RelyingPartyEntity, UserEntity, CredentialDescriptor, CredentialParameters, ExtensionMap } from './ctap2/entities.js';
export { encodeCbor, decodeCbor, decodeCborPrefix, CborError } from './cbor/index.js';
export type { CborValue, CborMap, CborKey, CborInput, CborDecodeOptions, CborOffence } from './cbor/index.js';
export { coseToPublicKey, publicKeyToCose } from './cose.js';
export type { CtapLogger } from './logger.js';
export { VirtualAuthenticator, VIRTUAL_PROFILES } from './virtual/index.js';
export type { VirtualAuthenticatorOptions, VirtualAuthenticatorState, VirtualProfile, VirtualProfileName, PresenceAnswer, PresenceHandler, PresenceRequest } from './virtual/index.js';
export { ClientPin, PinUvAuthToken } from './ctap2/ClientPin.js';
export { PinUvAuthProtocol, PinUvAuthProtocolV1, PinUvAuthProtocolV2 } from './ctap2/pinUvAuthProtocol.js';
export { Ctap1 } from './ctap1/Ctap1.js';
export { detectCtapVersion, isU2fOnly } from './ctap1/detectCtapVersion.js';
export * from './ctap2/extensions/index.js';
export { CtapNfcDevice } from './nfc/CtapNfcDevice.js';
export { selectByTouch, type SelectByTouchOptions } from './ctap2/selectByTouch.js';
