// The options that give an entry's fields (`entry add`, `entry edit`), and where its secret comes from.

import type { EntryInput } from '../../vault/index.js';
import type { CliIo } from '../registry.js';
import { UsageError } from '../UsageError.js';
import { readStdin } from './readStdin.js';
import type { VaultCommandContext } from './VaultCommand.js';

export const ENTRY_FIELD_OPTIONS = {
  type: { type: 'string' },
  service: { type: 'string' },
  account: { type: 'string' },
  secret: { type: 'string' },
  'secret-stdin': { type: 'boolean' },
  digits: { type: 'string' },
  algorithm: { type: 'string' },
  period: { type: 'string' },
  counter: { type: 'string' },
  note: { type: 'string' },
} as const;

export const ENTRY_FIELD_USAGE =
  '[--type totp|hotp|steam] [--service S] [--account A] [--secret-stdin | --secret BASE32] [--digits N] [--algorithm sha1|sha256|sha512] [--period SECONDS] [--counter N] [--note TEXT]';

export interface EntryFieldValues {
  type?: string;
  service?: string;
  account?: string;
  secret?: string;
  'secret-stdin'?: boolean;
  digits?: string;
  algorithm?: string;
  period?: string;
  counter?: string;
  note?: string;
}

/** The fields given, under the vault's names; the secret is read separately (readEntrySecret). */
export function entryFields(values: EntryFieldValues): EntryInput {
  if (values.secret !== undefined && values['secret-stdin'] === true)
    throw new UsageError('give the secret once: --secret or --secret-stdin, not both');
  const type = values.type?.toLowerCase() === 'steam' ? 'steamtotp' : values.type;
  const fields: EntryInput = {
    otp_type: type,
    service: values.service,
    account: values.account,
    digits: values.digits,
    algorithm: values.algorithm,
    period: values.period,
    counter: values.counter,
    note: values.note,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

export interface ReadEntrySecretOptions {
  /** Ask at the terminal when no option gives it (`entry add`); `entry edit` keeps the old secret instead. */
  ask: boolean;
  /** For the question: "Secret (base32) for GitHub: ". */
  service?: string;
}

/**
 * The secret as text: --secret-stdin (stdin up to its end, surrounding white space dropped), --secret, or typed
 * without echo at a terminal. Undefined when none is given and none is asked for.
 */
export async function readEntrySecret(
  values: EntryFieldValues,
  context: Pick<VaultCommandContext, 'io' | 'readStdin'>,
  options: ReadEntrySecretOptions,
): Promise<string | undefined> {
  if (values['secret-stdin'] === true) return textOf(await (context.readStdin ?? readStdin)());
  if (values.secret !== undefined) return values.secret;
  if (!options.ask) return undefined;
  return askSecret(context.io, options.service);
}

async function askSecret(io: CliIo, service: string | undefined): Promise<string> {
  if (!io.interactive || !io.prompt)
    throw new UsageError('the secret is needed: pipe it in with --secret-stdin, or run the command at a terminal');
  const typed = await io.prompt(`Secret (base32)${service ? ` for ${service}` : ''}: `, { hidden: true });
  if (typed === undefined || typed.length === 0) {
    typed?.fill(0);
    throw new UsageError('no secret was typed');
  }
  return textOf(typed);
}

/** The text of bytes that held a secret, the bytes zeroed (the string itself cannot be). */
export function textOf(bytes: Buffer): string {
  try {
    return bytes.toString('utf8').trim();
  } finally {
    bytes.fill(0);
  }
}
