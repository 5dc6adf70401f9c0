// The export side of issue #11 (moving accounts out of Latchkey): every format, as bytes made from plain vault data.

export { export2fauthJson, TWOFAUTH_APP, type Export2fauthJsonOptions } from './export2fauthJson.js';
export { exportOtpauthText } from './exportOtpauthText.js';
export { exportAegisJson, AEGIS_SCRYPT_PARAMS, type ExportAegisJsonOptions } from './exportAegisJson.js';
export { exportLatchkeyEncrypted, type ExportLatchkeyEncryptedOptions } from './exportLatchkeyEncrypted.js';
export type { IconImage, IconLookup } from './iconLookup.js';
