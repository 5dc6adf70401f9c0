// The one security key a `device pin` command works on (the plugged-in key, or --virtual-key's), and the PINs it is given.

import { resolve } from 'node:path';
import { deviceKeySource, virtualKeySource, withOnlyKey, type OnlyKey } from '../services/index.js';
import { NEW_PIN_ENV, PIN_ENV, type EnvironmentSecrets } from './environmentSecrets.js';
import type { CliGlobals } from './globalOptions.js';
import { readSecret } from './readSecret.js';
import type { CliIo } from './registry.js';
import { terminalPrompter } from './terminalPrompter.js';
import { UsageError } from './UsageError.js';

const noSecrets: EnvironmentSecrets = { has: () => false, get: () => undefined, dispose: () => undefined };

/** Runs `command` on the only key connected (services' withOnlyKey); the demo-key notice comes first. */
export async function withPinKey(
  globals: CliGlobals,
  io: CliIo,
  command: (key: OnlyKey) => Promise<number>,
): Promise<number> {
  const virtualKey = globals.virtualKey === undefined ? undefined : resolve(globals.virtualKey);
  const prompter = terminalPrompter({ io, secrets: io.secrets ?? noSecrets, virtualKey: virtualKey !== undefined });
  const keys = virtualKey === undefined ? deviceKeySource({ prompter }) : virtualKeySource({ statePath: virtualKey });
  if (keys.virtual) io.err(keys.virtual.notice);
  try {
    return await withOnlyKey(keys, command);
  } finally {
    await keys.close();
  }
}

/** The key's current PIN: LATCHKEY_PIN, or typed without echo. Bytes the caller zeroes. */
export function readCurrentPin(io: CliIo, key: OnlyKey): Promise<Buffer> {
  return readSecret(io, io.secrets ?? noSecrets, {
    env: PIN_ENV,
    question: `Current PIN of ${key.name}: `,
    what: 'the current PIN',
  });
}

/**
 * The new PIN: LATCHKEY_NEW_PIN, or typed twice without echo so a typo does not lock the key. Bytes the caller zeroes;
 * the key checks its own rules (at least 4 characters, or its minPINLength) and says which it broke.
 */
export async function readNewPin(io: CliIo, key: OnlyKey): Promise<Buffer> {
  const secrets = io.secrets ?? noSecrets;
  const pin = await readSecret(io, secrets, {
    env: NEW_PIN_ENV,
    question: `New PIN for ${key.name}: `,
    what: 'the new PIN',
  });
  if (secrets.has(NEW_PIN_ENV)) return pin;
  const again = await readSecret(io, secrets, {
    env: NEW_PIN_ENV,
    question: 'The same PIN again: ',
    what: 'the new PIN',
  }).catch((error: unknown) => {
    pin.fill(0);
    throw error;
  });
  try {
    if (!pin.equals(again)) {
      pin.fill(0);
      throw new UsageError('the two PINs differ; the key was not changed');
    }
    return pin;
  } finally {
    again.fill(0);
  }
}
