// The credProtect extension (CTAP 2.1 section 12.1): how much user verification a credential demands before the key uses it.

import { optUint } from '../../cbor/fields.js';
import type { CborMap } from '../../cbor/types.js';
import { ClientError, ProtocolError } from '../../errors.js';
import {
  EXTENSION_OUTPUTS,
  ExtensionId,
  supportsExtension,
  type ExtensionInfo,
  type ExtensionInput,
} from './extension.js';

/** Section 12.1: credProtect levels, named as WebAuthn's credentialProtectionPolicy values. */
export const CredProtectLevel = {
  /** The key uses the credential with or without user verification (what keys do without the extension). */
  userVerificationOptional: 1,
  /** Without user verification only when the RP names the credential in the allowList (no discovery without UV). */
  userVerificationOptionalWithCredentialIDList: 2,
  /** Only with user verification: the credential is invisible to an assertion without UV. */
  userVerificationRequired: 3,
} as const;

export type CredProtectLevel = (typeof CredProtectLevel)[keyof typeof CredProtectLevel];
export type CredentialProtectionPolicy = keyof typeof CredProtectLevel;

const POLICY_NAMES: ReadonlyMap<number, CredentialProtectionPolicy> = new Map(
  Object.entries(CredProtectLevel).map(([name, level]) => [level, name as CredentialProtectionPolicy]),
);

export function isCredProtectSupported(info: ExtensionInfo): boolean {
  return supportsExtension(info, ExtensionId.credProtect);
}

/** Options of {@link credProtectInput}. */
export interface CredProtectInputOptions {
  /** The key's getInfo. */
  info: ExtensionInfo;
  /** The protection asked for, as a level or as WebAuthn's credentialProtectionPolicy name. */
  policy: CredProtectLevel | CredentialProtectionPolicy;
  /**
   * WebAuthn's enforceCredentialProtectionPolicy: refuse, before anything is sent, to make a credential on a key that
   * cannot apply a policy above userVerificationOptional. When false, such a key gets no credProtect input and makes
   * an ordinary credential.
   * @default false
   */
  enforce?: boolean;
}

/**
 * The makeCredential input `credProtect: level`, or undefined when the key lacks the extension and `enforce` is off
 * (sending it would only be ignored). Throws ClientError('device-not-supported') when enforcement fails.
 */
export function credProtectInput(options: CredProtectInputOptions): ExtensionInput | undefined {
  const level = typeof options.policy === 'string' ? CredProtectLevel[options.policy] : options.policy;
  if (!POLICY_NAMES.has(level)) {
    throw new ClientError(
      'bad-request',
      `credProtect level must be 1, 2 or 3 (or a credentialProtectionPolicy name), got ${String(options.policy)}.`,
    );
  }
  if (isCredProtectSupported(options.info)) return { id: ExtensionId.credProtect, input: level };
  if (options.enforce && level > CredProtectLevel.userVerificationOptional) {
    throw new ClientError(
      'device-not-supported',
      `This key cannot protect credentials (it lacks the credProtect extension), and ${POLICY_NAMES.get(level)} was required.`,
    );
  }
  return undefined;
}

/** The level the key applied (authenticator data extension output `credProtect`), or undefined when it did not say. */
export function parseCredProtectOutput(extensions: CborMap | undefined): CredProtectLevel | undefined {
  if (!extensions) return undefined;
  const level = optUint(extensions, ExtensionId.credProtect, EXTENSION_OUTPUTS);
  if (level === undefined) return undefined;
  if (!POLICY_NAMES.has(level))
    throw new ProtocolError(`${EXTENSION_OUTPUTS} field "credProtect" is ${level}, expected 1, 2 or 3`);
  return level as CredProtectLevel;
}
