// The uv option and alwaysUv rules shared by makeCredential and getAssertion (CTAP 2.2 sections 6.1.2 and 6.2.2).

import { CtapStatus } from '../../ctapStatus.js';
import { hasBuiltInUv, hasOption } from '../features.js';
import { speaksCtap21Draft } from '../profiles.js';
import { CtapStatusError } from './CtapStatusError.js';
import { builtInUvConfigured, type CommandContext } from './context.js';

/**
 * uv:true asks for built-in user verification: a key without any answers CTAP2_ERR_INVALID_OPTION (CTAP 2.0 said
 * UNSUPPORTED_OPTION), and so does one whose sensor has no finger enrolled yet (getInfo uv false).
 */
export function checkBuiltInUvOption(ctx: CommandContext): void {
  if (!hasBuiltInUv(ctx.profile)) {
    const status = speaksCtap21Draft(ctx.profile)
      ? CtapStatus.CTAP2_ERR_INVALID_OPTION
      : CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION;
    throw new CtapStatusError(status, 'the key has no built-in user verification');
  }
  if (!builtInUvConfigured(ctx))
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'no finger is enrolled');
}

/**
 * alwaysUv with neither a token nor uv:true: a key with an enrolled finger verifies with it (returns true: treat uv as
 * requested); otherwise the platform must get a token (PUAT_REQUIRED), or, on a key without PINs, cannot (OPERATION_DENIED).
 */
export function alwaysUvFallback(ctx: CommandContext): true {
  if (builtInUvConfigured(ctx)) return true;
  if (hasOption(ctx.profile, 'clientPin')) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PUAT_REQUIRED, 'alwaysUv is on: a pinUvAuthToken is required');
  }
  throw new CtapStatusError(CtapStatus.CTAP2_ERR_OPERATION_DENIED, 'alwaysUv is on and the key cannot verify the user');
}
