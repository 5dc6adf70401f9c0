// The vault's refusals of a value in the command line's words: the option at fault first, exit code 2 with the usage.

import { VaultEntryError, type VaultEntryField } from '../../vault/index.js';
import { UsageError } from '../UsageError.js';

/** The option or argument that gives each field; absent: the sentence names the field itself. */
const OPTION_OF: Partial<Record<VaultEntryField, string>> = {
  otp_type: '--type',
  service: '--service',
  account: '--account',
  secret: 'the secret',
  digits: '--digits',
  algorithm: '--algorithm',
  period: '--period',
  counter: '--counter',
  note: '--note',
  uri: '--uri',
  name: 'NAME',
};

/** A VaultEntryError becomes a UsageError naming the option; anything else is passed on. */
export function entryErrorAsUsage(error: unknown): unknown {
  if (!(error instanceof VaultEntryError)) return error;
  const option = OPTION_OF[error.field];
  if (error.reason === 'duplicate' && error.field === 'entry')
    return new UsageError(`${error.message}: add --allow-duplicate to add it anyway`, { cause: error });
  return new UsageError(option ? `${option}: ${error.message}` : error.message, { cause: error });
}

/** Runs `task`, turning a VaultEntryError into a UsageError. */
export async function withEntryErrorsAsUsage<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw entryErrorAsUsage(error);
  }
}
