// The user verification policy in force: WEBAUTHN_USER_VERIFICATION from the environment, else from the data folder's .env, else the setting.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../config/ConfigError.js';
import { parseDotEnv } from '../../config/parseDotEnv.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import { USER_VERIFICATION_POLICIES, type UserVerificationPolicy } from './rpSettings.js';

/** 2FAuth's variable name, so a 2FAuth user's habit carries over. */
export const USER_VERIFICATION_VARIABLE = 'WEBAUTHN_USER_VERIFICATION';

export interface EffectiveUserVerification {
  policy: UserVerificationPolicy;
  /** Where it came from: the UI says "set by the environment" and greys out the setting for the first two. */
  source: 'environment' | 'dotenv' | 'settings';
}

export interface ResolveUserVerificationOptions {
  /** The stored setting. */
  setting: UserVerificationPolicy;
  /** The data folder, where a `.env` file may live. */
  dataDir: string;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The process environment wins over `.env`, which wins over the setting (dotenv's rule: a file never overrides a real
 * variable). An empty value counts as unset. An unknown value throws `settings-invalid` naming it, where it was found
 * and the allowed values: a typo must not silently weaken the policy.
 */
export async function resolveUserVerification(
  options: ResolveUserVerificationOptions,
): Promise<EffectiveUserVerification> {
  const env = options.env ?? process.env;
  const fromEnv = env[USER_VERIFICATION_VARIABLE];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return {
      policy: parsePolicy(fromEnv, `the environment variable ${USER_VERIFICATION_VARIABLE}`),
      source: 'environment',
    };
  }
  const dotenvFile = join(options.dataDir, '.env');
  let text: string | undefined;
  try {
    text = await readFile(dotenvFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fromFile = text === undefined ? undefined : readDotEnv(text, dotenvFile).get(USER_VERIFICATION_VARIABLE);
  if (fromFile !== undefined && fromFile.trim() !== '') {
    return { policy: parsePolicy(fromFile, `${USER_VERIFICATION_VARIABLE} in ${dotenvFile}`), source: 'dotenv' };
  }
  return { policy: options.setting, source: 'settings' };
}

function readDotEnv(text: string, file: string): Map<string, string> {
  try {
    return parseDotEnv(text, file);
  } catch (error) {
    if (error instanceof ConfigError) throw new RelyingPartyError('settings-invalid', error.message, { cause: error });
    throw error;
  }
}

function parsePolicy(value: string, where: string): UserVerificationPolicy {
  const policy = value.trim().toLowerCase();
  if ((USER_VERIFICATION_POLICIES as readonly string[]).includes(policy)) return policy as UserVerificationPolicy;
  throw new RelyingPartyError(
    'settings-invalid',
    `${where} is "${value}", which is not a user verification policy; expected one of ${USER_VERIFICATION_POLICIES.join(', ')}`,
  );
}
