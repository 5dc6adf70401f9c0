// A getInfo with nothing in it, for a Ctap2 over a CaptureDevice whose answers are all for the request under test.

import type { AuthenticatorInfo } from '../../src/ctap/ctap2/info.js';

export function minimalInfo(changes: Partial<AuthenticatorInfo> = {}): AuthenticatorInfo {
  return {
    versions: ['FIDO_2_0'],
    extensions: [],
    aaguid: new Uint8Array(16),
    options: new Map(),
    maxMsgSize: 1024,
    pinUvAuthProtocols: [],
    transports: [],
    unknown: new Map(),
    ...changes,
  };
}
