// WebAuthn userVerification mapped onto a CTAP2 key: when to verify, how (fingerprint token, legacy uv option or PIN), and the retries of each.

import type { UserVerificationRequirement } from '@simplewebauthn/server';
import { ClientPin, type PinUvAuthToken } from '../ctap2/ClientPin.js';
import type { Ctap2 } from '../ctap2/Ctap2.js';
import type { AuthenticatorInfo } from '../ctap2/info.js';
import { CtapStatus } from '../ctapStatus.js';
import { ClientError, CtapError, toClientError } from '../errors.js';
import type { Ceremony } from './ceremony.js';
import type { PinRequestReason } from './types.js';

/** How one request to the key proves user verification. */
export type UvMethod =
  | { kind: 'none' }
  /** A pinUvAuthToken (from the PIN or the fingerprint): the request carries pinUvAuthParam. */
  | { kind: 'token'; token: PinUvAuthToken }
  /** Built-in verification the CTAP 2.0 way: the request carries the uv option and the key verifies during it. */
  | { kind: 'builtin' };

const NO_UV: UvMethod = { kind: 'none' };

/** The fingerprint attempts a platform makes before falling back to the PIN when the key does not say (CTAP 2.1 section 6.4). */
const DEFAULT_UV_ATTEMPTS = 3;

export interface UvContext {
  ctap2: Ctap2;
  ceremony: Ceremony;
  /** ClientPin.PERMISSION bits the token must carry. */
  permissions: number;
  requirement: UserVerificationRequirement;
  /** The key refuses this operation without verification (makeCredential of a passkey on a PIN-protected key). */
  keyDemands: boolean;
}

/** Whether the key has a PIN set. */
export function pinIsSet(info: AuthenticatorInfo): boolean {
  return info.options.get('clientPin') === true;
}

/** Whether the key has built-in verification ready (a fingerprint enrolled). */
export function builtInUvIsSet(info: AuthenticatorInfo): boolean {
  return info.options.get('uv') === true;
}

/**
 * Whether makeCredential needs verification whatever the relying party asked: a key protected by a PIN or fingerprint
 * makes credentials only with it, except non-discoverable ones when it has makeCredUvNotRqd (CTAP 2.1 section 6.1.2
 * step 6; a CTAP 2.0 key with a PIN set always wants it).
 */
export function makeCredentialDemandsUv(info: AuthenticatorInfo, rk: boolean): boolean {
  if (!pinIsSet(info) && !builtInUvIsSet(info)) return false;
  return !(info.options.get('makeCredUvNotRqd') === true && !rk);
}

/**
 * The reason to verify, or undefined for none: required always; preferred when the key has a PIN or fingerprint set
 * up; discouraged never, unless the key itself insists (alwaysUv, or `keyDemands`).
 */
export function uvReason(
  info: AuthenticatorInfo,
  requirement: UserVerificationRequirement,
  keyDemands: boolean,
): PinRequestReason | undefined {
  if (requirement === 'required') return 'uv-required';
  if (requirement === 'preferred' && (pinIsSet(info) || builtInUvIsSet(info))) return 'uv-preferred';
  if (keyDemands || info.options.get('alwaysUv') === true) return 'pin-required';
  return undefined;
}

/**
 * Runs `attempt` with user verification as the context wants it, and again as the key's answers demand: with
 * verification after CTAP2_ERR_PUAT_REQUIRED, after a fingerprint mismatch (legacy uv option), or with the PIN once
 * the fingerprint is blocked. Every token is disposed of when its attempt ends.
 */
export async function withUserVerification<T>(ctx: UvContext, attempt: (uv: UvMethod) => Promise<T>): Promise<T> {
  const { info } = ctx.ctap2;
  let reason = uvReason(info, ctx.requirement, ctx.keyDemands);
  let avoidBuiltIn = false;
  let builtInFailures = 0;
  while (true) {
    ctx.ceremony.throwIfAborted();
    const uv = reason === undefined ? NO_UV : await acquireUv(ctx, reason, avoidBuiltIn);
    try {
      return await attempt(uv);
    } catch (error) {
      if (reason === undefined && isStatus(error, CtapStatus.CTAP2_ERR_PUAT_REQUIRED)) {
        reason = 'pin-required';
        continue;
      }
      if (
        uv.kind === 'builtin' &&
        isStatus(error, CtapStatus.CTAP2_ERR_UV_INVALID) &&
        ++builtInFailures < uvAttempts(info)
      ) {
        ctx.ceremony.notify(() => ctx.ceremony.ui.onUvRetry?.(deviceField(ctx.ceremony)));
        continue;
      }
      if (
        uv.kind === 'builtin' &&
        pinIsSet(info) &&
        (isStatus(error, CtapStatus.CTAP2_ERR_UV_INVALID) || isStatus(error, CtapStatus.CTAP2_ERR_UV_BLOCKED))
      ) {
        avoidBuiltIn = true;
        reason = 'uv-fallback';
        continue;
      }
      throw error;
    } finally {
      if (uv.kind === 'token') uv.token.dispose();
    }
  }
}

/** Gets verification from the fingerprint when one is enrolled, else from the PIN; refuses when the key has neither. */
async function acquireUv(ctx: UvContext, reason: PinRequestReason, avoidBuiltIn: boolean): Promise<UvMethod> {
  const { info } = ctx.ctap2;
  let pinReason = reason;
  if (builtInUvIsSet(info) && !avoidBuiltIn) {
    if (info.options.get('pinUvAuthToken') !== true) return { kind: 'builtin' };
    const token = await uvToken(ctx);
    if (token) return { kind: 'token', token };
    pinReason = 'uv-fallback';
  }
  if (pinIsSet(info)) return { kind: 'token', token: await pinToken(ctx, pinReason) };
  throw new ClientError('uv-required', cannotVerifyMessage(info, reason));
}

function cannotVerifyMessage(info: AuthenticatorInfo, reason: PinRequestReason): string {
  const why =
    reason === 'uv-required' ? 'The relying party requires user verification' : 'This key requires user verification';
  if (info.options.has('clientPin') && info.options.has('uv'))
    return `${why}, but the key has no PIN and no fingerprint set up: set a PIN or enroll a fingerprint first.`;
  if (info.options.has('clientPin')) return `${why}, but the key has no PIN set: set a PIN on the key first.`;
  return `${why}, but this key can verify no one: it has neither a PIN nor built-in user verification.`;
}

/**
 * A token from the fingerprint (getPinUvAuthTokenUsingUvWithPermissions), asking again after a mismatch up to the
 * key's preferredPlatformUvAttempts. Undefined when the fingerprint is blocked or keeps failing and a PIN can take over.
 */
async function uvToken(ctx: UvContext): Promise<PinUvAuthToken | undefined> {
  const { ctap2, ceremony } = ctx;
  const clientPin = new ClientPin(ctap2);
  const canFallBack = pinIsSet(ctap2.info);
  const { retries } = await clientPin.getUvRetries({ signal: ceremony.signal });
  if (retries === 0) {
    if (canFallBack) return undefined;
    throw new ClientError('uv-blocked', 'Fingerprint verification is blocked and the key has no PIN to fall back on.', {
      retriesLeft: 0,
    });
  }
  const attempts = uvAttempts(ctap2.info);
  for (let attempt = 1; ; attempt++) {
    try {
      return await clientPin.getUvToken({
        permissions: ctx.permissions,
        rpId: ceremony.rpId,
        signal: ceremony.signal,
        onKeepalive: ceremony.touchPrompt('fingerprint'),
      });
    } catch (error) {
      const mapped = toClientError(error);
      if (mapped.reason === 'uv-invalid' && mapped.retriesLeft !== 0 && attempt < attempts) {
        ceremony.notify(() =>
          ceremony.ui.onUvRetry?.({ ...deviceField(ceremony), ...retriesField(mapped.retriesLeft) }),
        );
        continue;
      }
      if ((mapped.reason === 'uv-invalid' || mapped.reason === 'uv-blocked') && canFallBack) return undefined;
      throw mapped;
    }
  }
}

/**
 * A token from the PIN, asking the UI until the key takes one: a wrong PIN asks again with the attempts left; a
 * blocked PIN, a PIN that needs a power cycle or the user's cancel ends the operation.
 */
async function pinToken(ctx: UvContext, firstReason: PinRequestReason): Promise<PinUvAuthToken> {
  const { ctap2, ceremony } = ctx;
  const clientPin = new ClientPin(ctap2);
  const status = await clientPin.getPinRetries({ signal: ceremony.signal });
  if (status.retries === 0)
    throw new ClientError('pin-blocked', 'The PIN is blocked: the key must be reset.', { retriesLeft: 0 });
  if (status.powerCycleState === true) {
    throw new ClientError('pin-auth-blocked', 'Too many wrong PINs in a row: unplug the key and plug it in again.', {
      retriesLeft: status.retries,
    });
  }
  let retriesLeft: number | undefined = status.retries;
  let reason = firstReason;
  while (true) {
    const pin = await ceremony.race(
      ceremony.ui.requestPin({
        reason,
        ...retriesField(retriesLeft),
        ...(ctap2.info.minPINLength === undefined ? {} : { minPinLength: ctap2.info.minPINLength }),
        ...deviceField(ceremony),
        rpId: ceremony.rpId,
        signal: ceremony.signal,
      }),
    );
    if (pin === undefined || pin.length === 0) throw new ClientError('cancelled', 'PIN entry was cancelled.');
    try {
      return await clientPin.getPinToken(pin, {
        permissions: ctx.permissions,
        rpId: ceremony.rpId,
        signal: ceremony.signal,
      });
    } catch (error) {
      const mapped = toClientError(error);
      if (mapped.reason === 'pin-invalid') {
        retriesLeft = mapped.retriesLeft;
        if (retriesLeft === 0)
          throw new ClientError('pin-blocked', 'Wrong PIN. The PIN is now blocked: the key must be reset.', {
            cause: error,
            retriesLeft: 0,
          });
        reason = 'pin-invalid';
        continue;
      }
      // ClientPin refuses a PIN that breaks the spec's rules before sending it: no attempt was used up.
      // (The key's own PIN_POLICY_VIOLATION to a token request means forcePINChange: ClientPin says 'pin-change-required'.)
      if (mapped.reason === 'pin-policy-violation') {
        reason = 'pin-format';
        continue;
      }
      throw mapped;
    } finally {
      if (pin instanceof Uint8Array) pin.fill(0);
    }
  }
}

function uvAttempts(info: AuthenticatorInfo): number {
  const preferred = info.preferredPlatformUvAttempts;
  return preferred !== undefined && preferred > 0 ? preferred : DEFAULT_UV_ATTEMPTS;
}

function deviceField(ceremony: Ceremony): { device?: string } {
  return ceremony.device === undefined ? {} : { device: ceremony.device };
}

function retriesField(retriesLeft: number | undefined): { retriesLeft?: number } {
  return retriesLeft === undefined ? {} : { retriesLeft };
}

export function isStatus(error: unknown, status: number): boolean {
  return error instanceof CtapError && error.status === status;
}
