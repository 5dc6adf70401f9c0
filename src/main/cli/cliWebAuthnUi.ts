// How a CLI ceremony talks to the user: PIN from LATCHKEY_PIN or typed without echo, touch requests on stderr.

import { ClientError, type PinRequest, type TouchRequest, type WebAuthnUi } from '../../ctap/index.js';
import { readSecret } from './readSecret.js';
import type { CliIo } from './registry.js';

export const PIN_ENV = 'LATCHKEY_PIN';

const TOUCH_TEXT: Record<TouchRequest['purpose'], string> = {
  select: 'Several security keys are connected: touch the one to use.',
  presence: 'Touch your security key.',
  fingerprint: 'Put your finger on the security key.',
};

export interface CliWebAuthnUi {
  ui: WebAuthnUi;
  /**
   * Why the last PIN request failed (no LATCHKEY_PIN and nobody to ask), to rethrow instead of the client's generic
   * ClientError: the client maps whatever the UI throws to a key error.
   */
  takeFailure(): unknown;
}

/** `virtualKey`: the in-process demo key approves by itself, so there is nothing to ask the user to touch. */
export function cliWebAuthnUi(io: CliIo, options: { virtualKey: boolean }): CliWebAuthnUi {
  let pinFromEnv = false;
  let failure: unknown;
  const ui: WebAuthnUi = {
    async requestPin(req: PinRequest): Promise<string | undefined> {
      const retries = req.retriesLeft === undefined ? '' : ` (${req.retriesLeft} attempts left)`;
      // Asking again would spend the key's PIN attempts on the same wrong value (or loop on a malformed one).
      if (req.reason === 'pin-invalid' && pinFromEnv) {
        throw new ClientError('pin-invalid', `${PIN_ENV} holds a wrong PIN for this key${retries}.`, req.retriesLeft === undefined ? {} : { retriesLeft: req.retriesLeft });
      }
      if (req.reason === 'pin-format' && pinFromEnv) {
        throw new ClientError('pin-policy-violation', `${PIN_ENV} holds a PIN this key cannot take${req.minPinLength === undefined ? '' : ` (at least ${req.minPinLength} characters)`}.`);
      }
      if (req.reason === 'pin-invalid') io.err(`Wrong PIN${retries}.`);
      if (req.reason === 'pin-format') io.err(`That PIN does not fit the key's rules${req.minPinLength === undefined ? '' : ` (at least ${req.minPinLength} characters)`}.`);
      pinFromEnv = process.env[PIN_ENV] !== undefined && process.env[PIN_ENV] !== '';
      const pin = await readSecret(io, { env: PIN_ENV, question: `PIN of ${req.device ?? 'the security key'}${retries}: `, what: 'the security key\u2019s PIN' }).catch((error: unknown) => {
        failure = error;
        throw error;
      });
      try {
        // WebAuthnUi takes the PIN as text; ClientPin zeroes the bytes it makes of it.
        return pin.toString('utf8');
      } finally {
        pin.fill(0);
      }
    },
    onTouch(req: TouchRequest): void {
      if (!options.virtualKey) io.err(TOUCH_TEXT[req.purpose]);
    },
    onUvRetry(): void {
      io.err('The fingerprint was not recognised: try again.');
    },
  };
  return {
    ui,
    takeFailure() {
      const taken = failure;
      failure = undefined;
      return taken;
    },
  };
}
