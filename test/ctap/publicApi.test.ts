// The runtime exports of the library's two public index files, pinned: changing the API of src/ctap is a deliberate act.
import { describe, expect, it } from 'vitest';
import * as ctap from '../../src/ctap/index.js';
import * as virtual from '../../src/ctap/virtual/index.js';

// Sorted by code point. A name added or removed here goes with a README change and a note for the other parts.
const CTAP_EXPORTS = [
  'AuthDataFlag', 'AuthenticatorConfig', 'BioEnrollment', 'CborError', 'ClientError', 'ClientPin', 'CoseAlgorithm',
  'CredProtectLevel', 'CredentialManagement', 'Ctap1', 'Ctap2', 'Ctap2Cmd', 'CtapDeviceCmd', 'CtapError',
  'CtapHidCapability', 'CtapHidCmd', 'CtapHidDevice', 'CtapHidError', 'CtapNfcDevice', 'CtapStatus',
  'DEFAULT_CALL_TIMEOUT_MS', 'EXTENDED_MAX_NE', 'ExtensionId', 'HID_REPORT_SIZE', 'HMAC_SECRET_SALT_SIZE',
  'HmacSecretInputKey', 'HmacSecretOutput', 'KNOWN_AUTHENTICATORS', 'KNOWN_VENDORS', 'KeepaliveStatus', 'LARGE_BLOB_KEY_SIZE', 'LargeBlobs',
  'MAX_MESSAGE_SIZE', 'MIN_CRED_BLOB_LENGTH', 'PinUvAuthProtocol', 'PinUvAuthProtocolV1', 'PinUvAuthProtocolV2',
  'PinUvAuthToken', 'ProtocolError', 'SHORT_MAX_NE', 'SerialQueue', 'StatusWord', 'TransportError',
  'WebAuthnClient', 'ccdToString', 'collectClientData', 'concatBytes', 'contactlessAtr', 'copyBytes',
  'coseToPublicKey', 'credBlobInput', 'credProtectInput', 'ctapStatusName', 'decodeCbor', 'decodeCborPrefix',
  'detectCtapVersion', 'encodeCbor', 'encodeCommandApdu', 'encodeResponseApdu', 'equalBytes', 'extensionMap',
  'formatAaguid', 'formatStatusWord', 'fromBase64Url', 'fromHex', 'getCredBlobInput', 'hmacSecretCreateInput',
  'hmacSecretGetInput', 'hmacSecretMcInput', 'isCredBlobSupported', 'isCredProtectSupported',
  'isHmacSecretMcSupported', 'isHmacSecretSupported', 'isLargeBlobKeySupported', 'isMinPinLengthSupported',
  'isOpenedAuthenticator', 'isU2fOnly', 'largeBlobKeyInput', 'maxCredBlobLength', 'minPinLengthInput', 'modelForAaguid', 'parseAtr',
  'parseAuthenticatorData', 'parseCommandApdu', 'parseCredBlobOutput', 'parseCredBlobStored',
  'parseCredProtectOutput', 'parseHmacSecretCreateOutput', 'parseHmacSecretMcOutput', 'parseHmacSecretOutput',
  'parseLargeBlobKeyOutput', 'parseMinPinLengthOutput', 'parseResponseApdu', 'prfSalt', 'prfSalts',
  'publicKeyToCose', 'selectByTouch', 'silentLogger', 'supportsExtension', 'toBase64Url', 'toClientError', 'toHex',
  'zeroize',
];

const VIRTUAL_EXPORTS = [
  'VIRTUAL_PROFILES', 'VirtualAuthenticator', 'VirtualNfcCard', 'isVirtualCardAtr', 'isVirtualProfileName',
  'smartCardConnection', 'speaksCtap2', 'speaksU2f', 'virtualCardAtr',
];

describe('public API of src/ctap', () => {
  it('src/ctap/index.ts exports exactly the documented runtime names', () => {
  expect(Object.keys(ctap).sort()).toEqual(CTAP_EXPORTS);
  });

  it('src/ctap/virtual/index.ts exports exactly the documented runtime names', () => {
  expect(Object.keys(virtual).sort()).toEqual(VIRTUAL_EXPORTS);
  });

  it('keeps the virtual key out of the library index', () => {
  expect(Object.keys(ctap)).not.toContain('VirtualAuthenticator');
  });
});
