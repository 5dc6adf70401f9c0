// The WebAuthn platform client of the CTAP library: WebAuthnClient and the types its callers use.

export { WebAuthnClient } from './WebAuthnClient.js';
export type { CreationOptions, RequestOptions } from './requestOptions.js';
export type {
  AccountChoice,
  AccountChoiceRequest,
  BytesInput,
  DeviceChoice,
  DeviceChoiceRequest,
  NamedAuthenticator,
  PinRequest,
  PinRequestReason,
  PrfValuesInput,
  TouchPurpose,
  TouchRequest,
  UvRetryRequest,
  WebAuthnAuthenticator,
  WebAuthnCallOptions,
  WebAuthnClientOptions,
  WebAuthnDeviceSource,
  WebAuthnExtensionInputs,
  WebAuthnExtensionOutputs,
  WebAuthnUi,
} from './types.js';
export { collectClientData, ccdToString, type ClientDataType, type CollectedClientData } from './clientData.js';
