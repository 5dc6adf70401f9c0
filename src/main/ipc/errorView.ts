// Any failure of a call, as the window shows it: a code for the program and one sentence for the person.

import { ZodError } from 'zod';
import { ClientError, toClientError } from '../../ctap/index.js';
import type { ErrorView } from '../../ipc/contract.js';
import { DamagedStoreError, RelyingPartyError } from '../rp/index.js';
import { ServiceError, systemErrorMessage, VaultChangedError, VaultLockedError } from '../services/index.js';
import {
  GoogleMigrationError,
  ImportError,
  QrImageError,
  VaultDamagedError,
  VaultEntryError,
  VaultLockoutError,
  VaultUnlockError,
  VaultVersionError,
} from '../vault/index.js';
import { FileLockTimeoutError } from '../store/fileLock.js';

/** A sentence starts with a capital and ends with a stop, whatever layer wrote it. */
export function sentence(message: string): string {
  const trimmed = message.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** The arguments broke the contract: the first issue, with where it is. */
export function invalidRequest(channel: string, error: ZodError): ErrorView {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
  return {
    code: 'invalid-request',
    message: sentence(
      `The arguments of ${channel} do not fit its contract${where}: ${issue?.message ?? 'they do not fit'}`,
    ),
    ...(issue?.path[0] === undefined ? {} : { field: String(issue.path[issue.path.length - 1]) }),
  };
}

/** The form field a relying-party refusal is about, by its reason (`email-taken`, `password-wrong`...). */
const RP_REASON_FIELDS: readonly (readonly [RegExp, string])[] = [
  [/email/, 'email'],
  [/password/, 'password'],
  [/recovery/, 'recoveryCode'],
  [/display-name/, 'name'],
];

/**
 * The errors of every layer mapped once. Messages are the layers' own (they name what was wrong and never carry a
 * secret); anything unforeseen becomes a key error in the client's words, never a stack trace.
 */
export function errorView(error: unknown): ErrorView {
  if (error instanceof ZodError) return invalidRequest('the call', error);
  if (error instanceof ServiceError) return { code: error.reason, message: sentence(error.message) };
  if (error instanceof RelyingPartyError) {
    const field = RP_REASON_FIELDS.find(([pattern]) => pattern.test(error.reason))?.[1];
    return { code: error.reason, message: sentence(error.message), ...(field ? { field } : {}) };
  }
  if (error instanceof VaultEntryError)
    return { code: error.reason, message: sentence(error.message), field: error.field };
  if (error instanceof ImportError) {
    const code = error.reason === 'password-needed' || error.reason === 'wrong-password' ? error.reason : 'import';
    return { code, message: sentence(error.message) };
  }
  for (const [type, code] of [
    [QrImageError, 'qr-image'],
    [GoogleMigrationError, 'import'],
    [DamagedStoreError, 'damaged'],
    [VaultDamagedError, 'damaged'],
    [VaultVersionError, 'damaged'],
    [VaultLockoutError, 'lockout'],
    [VaultUnlockError, 'vault-unlock'],
    [VaultLockedError, 'vault-locked'],
    [VaultChangedError, 'vault-changed'],
    [FileLockTimeoutError, 'busy'],
  ] as const) {
    if (error instanceof type) return { code, message: sentence(error.message) };
  }
  if (error instanceof RangeError) return { code: 'invalid-request', message: sentence(error.message) };
  const system = systemErrorMessage(error);
  if (system !== undefined) return { code: 'system', message: sentence(system) };
  const client = error instanceof ClientError ? error : toClientError(error);
  return { code: `key-${client.reason}`, message: sentence(client.message) };
}
