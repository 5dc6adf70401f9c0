// CTAP2 extensions (CTAP 2.1 section 12, CTAP 2.2 hmac-secret-mc): pure helpers that build each input and read each output.

export { ExtensionId, extensionMap, supportsExtension, type ExtensionInfo, type ExtensionInput } from './extension.js';
export {
  CredProtectLevel,
  credProtectInput,
  isCredProtectSupported,
  parseCredProtectOutput,
  type CredProtectInputOptions,
  type CredentialProtectionPolicy,
} from './credProtect.js';
export {
  MIN_CRED_BLOB_LENGTH,
  credBlobInput,
  getCredBlobInput,
  isCredBlobSupported,
  maxCredBlobLength,
  parseCredBlobOutput,
  parseCredBlobStored,
  type CredBlobInputOptions,
} from './credBlob.js';
export { isMinPinLengthSupported, minPinLengthInput, parseMinPinLengthOutput } from './minPinLength.js';
export {
  LARGE_BLOB_KEY_SIZE,
  isLargeBlobKeySupported,
  largeBlobKeyInput,
  parseLargeBlobKeyOutput,
} from './largeBlobKey.js';
export {
  HMAC_SECRET_SALT_SIZE,
  HmacSecretInputKey,
  HmacSecretOutput,
  hmacSecretCreateInput,
  hmacSecretGetInput,
  hmacSecretMcInput,
  isHmacSecretMcSupported,
  isHmacSecretSupported,
  parseHmacSecretCreateOutput,
  parseHmacSecretMcOutput,
  parseHmacSecretOutput,
  prfSalt,
  prfSalts,
  type HmacSecretInputOptions,
  type HmacSecretKeyAgreement,
  type HmacSecretOutputOptions,
  type HmacSecretSalts,
  type PrfValues,
} from './hmacSecret.js';
