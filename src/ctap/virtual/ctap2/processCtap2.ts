// The transport-neutral core of the virtual key: one CTAP2 request (command byte + CBOR) in, status byte + CBOR out.

import { concatBytes } from '../../bytes.js';
import { CborError } from '../../cbor/CborError.js';
import { decodeCbor } from '../../cbor/decode.js';
import { encodeCbor } from '../../cbor/encode.js';
import type { CborMap, CborValue } from '../../cbor/types.js';
import { Ctap2Cmd } from '../../ctap2/constants.js';
import { CtapStatus } from '../../ctapStatus.js';
import { KeepaliveStatus } from '../../transport.js';
import { awaitPresence, type PresenceHandler } from '../presence.js';
import { speaksCtap2, type VirtualProfile } from '../profiles.js';
import type { PersistentState } from '../state.js';
import { authenticatorConfigCommand } from './authenticatorConfig.js';
import { bioEnrollmentCommand, bioEnrollmentPreviewCommand } from './bioEnrollment.js';
import { clientPinCommand } from './clientPin.js';
import { CtapStatusError } from './CtapStatusError.js';
import { type AuthenticatorSettings, type CommandContext, type Ctap2CommandHandler, type Session } from './context.js';
import { credentialManagementCommand, credentialManagementPreviewCommand } from './credentialManagement.js';
import { getAssertionCommand } from './getAssertion.js';
import { getInfoCommand } from './getInfo.js';
import { getNextAssertionCommand } from './getNextAssertion.js';
import { largeBlobsCommand } from './largeBlobs.js';
import { makeCredentialCommand } from './makeCredential.js';
import { resetCommand } from './reset.js';
import { selectionCommand } from './selection.js';

/** The commands the virtual key answers; each handler says which profiles have it. */
const COMMANDS: ReadonlyMap<number, Ctap2CommandHandler> = new Map([
  [Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialCommand],
  [Ctap2Cmd.GET_ASSERTION, getAssertionCommand],
  [Ctap2Cmd.GET_INFO, getInfoCommand],
  [Ctap2Cmd.CLIENT_PIN, clientPinCommand],
  [Ctap2Cmd.RESET, resetCommand],
  [Ctap2Cmd.GET_NEXT_ASSERTION, getNextAssertionCommand],
  [Ctap2Cmd.BIO_ENROLLMENT, bioEnrollmentCommand],
  [Ctap2Cmd.CREDENTIAL_MANAGEMENT, credentialManagementCommand],
  [Ctap2Cmd.SELECTION, selectionCommand],
  [Ctap2Cmd.LARGE_BLOBS, largeBlobsCommand],
  [Ctap2Cmd.CONFIG, authenticatorConfigCommand],
  [Ctap2Cmd.BIO_ENROLLMENT_PRE, bioEnrollmentPreviewCommand],
  [Ctap2Cmd.CREDENTIAL_MANAGEMENT_PRE, credentialManagementPreviewCommand],
]);

/** Commands that continue a fingerprint enrollment; any other abandons it. */
const ENROLLMENT_COMMANDS: ReadonlySet<number> = new Set([Ctap2Cmd.BIO_ENROLLMENT, Ctap2Cmd.BIO_ENROLLMENT_PRE]);
/** Commands that continue a credential enumeration (the subcommand decides the rest); any other abandons it. */
const ENUMERATION_COMMANDS: ReadonlySet<number> = new Set([
  Ctap2Cmd.CREDENTIAL_MANAGEMENT,
  Ctap2Cmd.CREDENTIAL_MANAGEMENT_PRE,
]);

/** What processCtap2 needs of the authenticator it runs on. */
export interface Ctap2Engine {
  readonly profile: VirtualProfile;
  readonly state: PersistentState;
  readonly session: Session;
  readonly settings: AuthenticatorSettings;
  readonly presence: PresenceHandler;
  readonly keepaliveIntervalMs: number;
  readonly userActionTimeoutMs: number;
}

export interface ProcessCtap2Options {
  /** Aborting it cancels a wait for the user (CTAPHID_CANCEL); the answer is then CTAP2_ERR_KEEPALIVE_CANCEL. */
  signal: AbortSignal;
  /** Called every keepaliveIntervalMs while the request runs, with KeepaliveStatus PROCESSING or UPNEEDED. */
  onKeepalive: (status: number) => void;
}

/** Runs one request. Never rejects: every failure is a status byte, unexpected ones CTAP1_ERR_OTHER. */
export async function processCtap2Request(
  engine: Ctap2Engine,
  request: Uint8Array,
  opts: ProcessCtap2Options,
): Promise<Uint8Array> {
  let status: number = KeepaliveStatus.PROCESSING;
  const keepalive = setInterval(() => {
    try {
      opts.onKeepalive(status);
    } catch {
      // A transport that cannot deliver a keepalive must not break the request.
    }
  }, engine.keepaliveIntervalMs);
  keepalive.unref?.();

  const ctx: CommandContext = {
    profile: engine.profile,
    state: engine.state,
    session: engine.session,
    settings: engine.settings,
    userPresence: async (command, rpId, purpose = 'presence') => {
      status = KeepaliveStatus.UPNEEDED;
      try {
        return await awaitPresence(engine.presence, {
          command,
          purpose,
          rpId,
          signal: opts.signal,
          timeoutMs: engine.userActionTimeoutMs,
        });
      } finally {
        status = KeepaliveStatus.PROCESSING;
      }
    },
  };

  try {
    const body = await dispatch(ctx, request);
    return body === undefined
      ? Uint8Array.of(CtapStatus.CTAP2_OK)
      : concatBytes(Uint8Array.of(CtapStatus.CTAP2_OK), body);
  } catch (error) {
    return Uint8Array.of(error instanceof CtapStatusError ? error.status : CtapStatus.CTAP1_ERR_OTHER);
  } finally {
    clearInterval(keepalive);
  }
}

async function dispatch(ctx: CommandContext, request: Uint8Array): Promise<Uint8Array | undefined> {
  const [command] = request;
  if (command === undefined) throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_LENGTH, 'empty request');
  // maxMsgSize bounds the whole request, command byte included (section 6.4); 0x39 is the spec's "request too large".
  if (request.length > ctx.profile.maxMsgSize) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_REQUEST_TOO_LARGE,
      `request of ${request.length} bytes exceeds maxMsgSize ${ctx.profile.maxMsgSize}`,
    );
  }
  const handler = COMMANDS.get(command);
  if (!speaksCtap2(ctx.profile) || !handler || !(handler.isAvailable?.(ctx.profile) ?? true)) {
    throw new CtapStatusError(
      CtapStatus.CTAP1_ERR_INVALID_COMMAND,
      `command 0x${command.toString(16)} is not supported`,
    );
  }
  // getNextAssertion continues only a directly preceding getAssertion (section 6.3); anything else forgets it, and
  // likewise for credential enumerations and fingerprint enrollments.
  const { session } = ctx;
  if (command !== Ctap2Cmd.GET_NEXT_ASSERTION) session.pendingAssertion = undefined;
  if (!ENUMERATION_COMMANDS.has(command)) session.enumeration = undefined;
  if (!ENROLLMENT_COMMANDS.has(command)) session.enrollment = undefined;

  const body = request.subarray(1);
  let params: CborMap = new Map();
  if (handler.takesParameters) {
    params = parseParameters(body, ctx.profile);
  } else if (body.length > 0) {
    throw new CtapStatusError(
      CtapStatus.CTAP1_ERR_INVALID_LENGTH,
      `command 0x${command.toString(16)} takes no parameters`,
    );
  }
  const response = await handler.run(ctx, params);
  return response === undefined ? undefined : encodeCbor(response);
}

function parseParameters(body: Uint8Array, profile: VirtualProfile): CborMap {
  let value: CborValue;
  try {
    // Strict: CTAP2 requests must be canonical CBOR (section 8), which some keys (Titan) enforce too.
    value = decodeCbor(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A Titan reads a map out of canonical order as one that lacks the parameters it expected first.
    if (
      error instanceof CborError &&
      error.offence === 'unsorted-keys' &&
      profile.unsortedMapStatus === 'missing-parameter'
    ) {
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, message);
    }
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_CBOR, message);
  }
  if (!(value instanceof Map))
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, 'parameters are not a CBOR map');
  return value;
}
