// The one security key a `device pin` command works on (the plugged-in key, or --virtual-key's), and the PINs it is given.

import { ClientError, ClientPin, Ctap1, Ctap2, detectCtapVersion } from '../../ctap/index.js';
import { cliKeys } from './cliKeys.js';
import type { CliGlobals } from './globalOptions.js';
import { readSecret } from './readSecret.js';
import { UsageError, type CliIo } from './registry.js';
import { PIN_ENV } from './cliWebAuthnUi.js';

export const NEW_PIN_ENV = 'LATCHKEY_NEW_PIN';

export interface PinKey {
  ctap2: Ctap2;
  pin: ClientPin;
  /** "virtual YubiKey 5 ...", or the model of the key plugged in. */
  name: string;
}

/**
 * Opens the keys as every command does, insists on exactly one (a PIN goes to the key the user means, so with several
 * plugged in nothing is guessed), runs `command`, and saves the virtual key's state and closes the keys whatever happened.
 */
export async function withPinKey(globals: CliGlobals, io: CliIo, command: (key: PinKey) => Promise<number>): Promise<number> {
  const keys = cliKeys(globals, io);
  if (keys.virtual) io.err(keys.virtual.notice);
  try {
    const found = await keys.devices();
    if (found.length === 0) throw new ClientError('no-device', 'No security key is connected: plug one in or hold it to the reader.');
    if (found.length > 1) throw new UsageError(`${found.length} security keys are connected: leave only the one whose PIN to set or change`);
    const entry = found[0]!;
    const { authenticator, name } = 'authenticator' in entry ? entry : { authenticator: entry, name: undefined };
    const u2fOnly = new ClientError('device-not-supported', `${name ?? 'This key'} speaks only U2F, which has no PIN.`);
    if (authenticator instanceof Ctap1) throw u2fOnly;
    let ctap2: Ctap2;
    if (authenticator instanceof Ctap2) {
      ctap2 = authenticator;
    } else {
      const detected = await detectCtapVersion(authenticator);
      if (detected.kind !== 'ctap2') throw u2fOnly;
      ctap2 = detected.ctap2;
    }
    return await command({ ctap2, pin: new ClientPin(ctap2), name: name ?? 'the security key' });
  } finally {
    await keys.close();
  }
}

/** The key's current PIN: LATCHKEY_PIN, or typed without echo. Bytes the caller zeroes. */
export function readCurrentPin(io: CliIo, key: PinKey): Promise<Buffer> {
  return readSecret(io, { env: PIN_ENV, question: `Current PIN of ${key.name}: `, what: 'the current PIN' });
}

/**
 * The new PIN: LATCHKEY_NEW_PIN, or typed twice without echo so a typo does not lock the key. Bytes the caller zeroes;
 * the key checks its own rules (at least 4 characters, or its minPINLength) and says which it broke.
 */
export async function readNewPin(io: CliIo, key: PinKey): Promise<Buffer> {
  const fromEnv = process.env[NEW_PIN_ENV] !== undefined && process.env[NEW_PIN_ENV] !== '';
  const pin = await readSecret(io, { env: NEW_PIN_ENV, question: `New PIN for ${key.name}: `, what: 'the new PIN' });
  if (fromEnv) return pin;
  const again = await readSecret(io, { env: NEW_PIN_ENV, question: 'The same PIN again: ', what: 'the new PIN' }).catch((error: unknown) => {
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

/** ClientPin takes text: the string lives only for the call, and ClientPin zeroes the bytes it makes of it. */
export function pinText(bytes: Buffer): string {
  return bytes.toString('utf8');
}
