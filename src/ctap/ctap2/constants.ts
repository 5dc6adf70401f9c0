// CTAP2 command bytes and the integer keys of their parameters and responses (CTAP 2.2 sections 6.1-6.6).

/** Section 6: authenticator API command codes. */
export const Ctap2Cmd = {
  MAKE_CREDENTIAL: 0x01,
  GET_ASSERTION: 0x02,
  GET_INFO: 0x04,
  CLIENT_PIN: 0x06,
  RESET: 0x07,
  GET_NEXT_ASSERTION: 0x08,
  BIO_ENROLLMENT: 0x09,
  CREDENTIAL_MANAGEMENT: 0x0a,
  SELECTION: 0x0b,
  LARGE_BLOBS: 0x0c,
  CONFIG: 0x0d,
  BIO_ENROLLMENT_PRE: 0x40,
  CREDENTIAL_MANAGEMENT_PRE: 0x41,
} as const;

/** Section 6.1: authenticatorMakeCredential parameters. */
export const MakeCredentialParam = {
  clientDataHash: 0x01,
  rp: 0x02,
  user: 0x03,
  pubKeyCredParams: 0x04,
  excludeList: 0x05,
  extensions: 0x06,
  options: 0x07,
  pinUvAuthParam: 0x08,
  pinUvAuthProtocol: 0x09,
  enterpriseAttestation: 0x0a,
  attestationFormatsPreference: 0x0b,
} as const;

/** Section 6.1: authenticatorMakeCredential response. */
export const MakeCredentialResponseKey = {
  fmt: 0x01,
  authData: 0x02,
  attStmt: 0x03,
  epAtt: 0x04,
  largeBlobKey: 0x05,
  unsignedExtensionOutputs: 0x06,
} as const;

/** Section 6.2: authenticatorGetAssertion parameters. */
export const GetAssertionParam = {
  rpId: 0x01,
  clientDataHash: 0x02,
  allowList: 0x03,
  extensions: 0x04,
  options: 0x05,
  pinUvAuthParam: 0x06,
  pinUvAuthProtocol: 0x07,
} as const;

/** Section 6.2: authenticatorGetAssertion / authenticatorGetNextAssertion response. */
export const GetAssertionResponseKey = {
  credential: 0x01,
  authData: 0x02,
  signature: 0x03,
  user: 0x04,
  numberOfCredentials: 0x05,
  userSelected: 0x06,
  largeBlobKey: 0x07,
  unsignedExtensionOutputs: 0x08,
} as const;

/** Section 6.4: authenticatorGetInfo response. */
export const GetInfoKey = {
  versions: 0x01,
  extensions: 0x02,
  aaguid: 0x03,
  options: 0x04,
  maxMsgSize: 0x05,
  pinUvAuthProtocols: 0x06,
  maxCredentialCountInList: 0x07,
  maxCredentialIdLength: 0x08,
  transports: 0x09,
  algorithms: 0x0a,
  maxSerializedLargeBlobArray: 0x0b,
  forcePINChange: 0x0c,
  minPINLength: 0x0d,
  firmwareVersion: 0x0e,
  maxCredBlobLength: 0x0f,
  maxRPIDsForSetMinPINLength: 0x10,
  preferredPlatformUvAttempts: 0x11,
  uvModality: 0x12,
  certifications: 0x13,
  remainingDiscoverableCredentials: 0x14,
  vendorPrototypeConfigCommands: 0x15,
  attestationFormats: 0x16,
  uvCountSinceLastPinEntry: 0x17,
  longTouchForReset: 0x18,
  encIdentifier: 0x19,
  transportsForReset: 0x1a,
  pinComplexityPolicy: 0x1b,
  pinComplexityPolicyURL: 0x1c,
  maxPINLength: 0x1d,
  encCredStoreState: 0x1e,
  authenticatorConfigCommands: 0x1f,
} as const;

/** WebAuthn authenticator data flags (WebAuthn Level 3 section 6.1). */
export const AuthDataFlag = {
  UP: 0x01,
  UV: 0x04,
  BE: 0x08,
  BS: 0x10,
  AT: 0x40,
  ED: 0x80,
} as const;

/** COSE algorithm identifiers used by FIDO keys (IANA COSE Algorithms registry). */
export const CoseAlgorithm = {
  ES256: -7,
  EdDSA: -8,
  ES384: -35,
  ES512: -36,
  RS256: -257,
  ESP256: -9,
  Ed25519: -19,
  ECDH_ES_HKDF_256: -25,
} as const;

/** Default maxMsgSize when getInfo leaves it out (section 6.4). */
export const DEFAULT_MAX_MSG_SIZE = 1024;
