// The minPinLength extension (CTAP 2.1 section 12.4): tells an RP the key's minimum PIN length, if the RP is on the key's list.

import { optUint } from '../../cbor/fields.js';
import type { CborMap } from '../../cbor/types.js';
import {
  EXTENSION_OUTPUTS,
  ExtensionId,
  supportsExtension,
  type ExtensionInfo,
  type ExtensionInput,
} from './extension.js';

export function isMinPinLengthSupported(info: ExtensionInfo): boolean {
  return supportsExtension(info, ExtensionId.minPinLength);
}

/** The makeCredential input `minPinLength: true`. */
export function minPinLengthInput(): ExtensionInput {
  return { id: ExtensionId.minPinLength, input: true };
}

/**
 * makeCredential output: the key's minimum PIN length in code points. Undefined when the key did not say, which it
 * does for RPs not in its minPinLengthRPIDs list (set with authenticatorConfig setMinPINLength).
 */
export function parseMinPinLengthOutput(extensions: CborMap | undefined): number | undefined {
  return extensions ? optUint(extensions, ExtensionId.minPinLength, EXTENSION_OUTPUTS) : undefined;
}
