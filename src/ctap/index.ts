// Public API of Latchkey's CTAP 2.x client library (DESIGN.md section 2): the only module outside src/ctap imports.
// test/ctap/publicApi.test.ts pins the runtime export names, so a change here is a deliberate change of the API.

// Base: bytes, errors and CTAP status codes, the transport contracts, logging, the serial queue.
export {
  concatBytes,
  copyBytes,
  equalBytes,
  formatAaguid,
  fromBase64Url,
  fromHex,
  toBase64Url,
  toHex,
  zeroize,
} from './bytes.js';
export { CtapStatus, ctapStatusName, type CtapStatusCode } from './ctapStatus.js';
export { TransportError, ProtocolError, CtapError, ClientError, toClientError } from './errors.js';
export type { TransportErrorCode, ClientErrorReason } from './errors.js';
export { CtapDeviceCmd, DEFAULT_CALL_TIMEOUT_MS, KeepaliveStatus } from './transport.js';
export type {
  CallOptions,
  CtapDevice,
  CtapDeviceCapabilities,
  CtapDeviceOpening,
  CtapTransport,
  HidConnection,
  SmartCardConnection,
} from './transport.js';
export { silentLogger, type CtapLogger } from './logger.js';
export { SerialQueue } from './serialQueue.js';

// Codecs: CTAP2 canonical CBOR, ISO 7816 APDUs, COSE keys.
export { encodeCbor, decodeCbor, decodeCborPrefix, CborError } from './cbor/index.js';
export type { CborValue, CborMap, CborKey, CborInput, CborDecodeOptions, CborOffence } from './cbor/index.js';
export {
  encodeCommandApdu,
  parseCommandApdu,
  encodeResponseApdu,
  parseResponseApdu,
  formatStatusWord,
} from './iso7816/apdu.js';
export type { ApduForm, CommandApdu, ParsedCommandApdu, ResponseApdu } from './iso7816/apdu.js';
export { StatusWord, EXTENDED_MAX_NE, SHORT_MAX_NE } from './iso7816/constants.js';
export { coseToPublicKey, publicKeyToCose } from './cose/coseKey.js';

// Transports: CTAPHID and NFC.
export { CtapHidDevice, type CtapHidDeviceOptions, type CtapHidDeviceVersion } from './hid/CtapHidDevice.js';
export { CtapHidCmd, CtapHidCapability, CtapHidError, HID_REPORT_SIZE, MAX_MESSAGE_SIZE } from './hid/constants.js';
export { CtapNfcDevice, type CtapNfcDeviceOptions } from './nfc/CtapNfcDevice.js';
export { parseAtr, contactlessAtr, type Atr, type CardCapabilities } from './nfc/atr.js';

// Protocols: CTAP2 and its features and extensions, U2F, and the opened key that sits beside them.
export {
  Ctap2,
  type Ctap2Options,
  type Ctap2CreateOptions,
  type MakeCredentialRequest,
  type GetAssertionRequest,
} from './ctap2/Ctap2.js';
export { Ctap2Cmd, AuthDataFlag, CoseAlgorithm } from './ctap2/constants.js';
export type { AuthenticatorInfo, PublicKeyCredentialParameters } from './ctap2/info.js';
export type { AuthenticatorData, AuthenticatorDataFlags, AttestedCredentialData } from './ctap2/authenticatorData.js';
export { parseAuthenticatorData } from './ctap2/authenticatorData.js';
export type { MakeCredentialOptions, AttestationResponse } from './ctap2/makeCredential.js';
export type { GetAssertionOptions, AssertionResponse } from './ctap2/getAssertion.js';
export type {
  RelyingPartyEntity,
  UserEntity,
  CredentialDescriptor,
  CredentialParameters,
  ExtensionMap,
} from './ctap2/entities.js';
export {
  ClientPin,
  PinUvAuthToken,
  type PinRetries,
  type UvRetries,
  type GetPinTokenOptions,
  type GetUvTokenOptions,
} from './ctap2/ClientPin.js';
export { PinUvAuthProtocol, PinUvAuthProtocolV1, PinUvAuthProtocolV2 } from './ctap2/pinUvAuthProtocol.js';
export * from './ctap2/extensions/index.js';
export { selectByTouch, type SelectByTouchOptions } from './ctap2/selectByTouch.js';
export { CredentialManagement } from './ctap2/CredentialManagement.js';
export { BioEnrollment } from './ctap2/BioEnrollment.js';
export { AuthenticatorConfig } from './ctap2/AuthenticatorConfig.js';
export { LargeBlobs } from './ctap2/LargeBlobs.js';
export {
  Ctap1,
  type Ctap1Options,
  type Ctap1CallOptions,
  type Ctap1AuthenticateOptions,
  type U2fKeyHandleCheck,
} from './ctap1/Ctap1.js';
export { detectCtapVersion, isU2fOnly, type DetectCtapVersionOptions } from './authenticator/detectCtapVersion.js';
export { isOpenedAuthenticator } from './authenticator/OpenedAuthenticator.js';
export type {
  OpenedAuthenticator,
  OpenedCtap2Authenticator,
  OpenedU2fAuthenticator,
} from './authenticator/OpenedAuthenticator.js';
export { KNOWN_AUTHENTICATORS, KNOWN_VENDORS, modelForAaguid } from './authenticator/knownAuthenticators.js';

// Client: WebAuthn.
export * from './webauthn/index.js';
