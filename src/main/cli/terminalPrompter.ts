// The services' Prompter on the terminal: secrets from LATCHKEY_* or typed without echo, touches and questions on stderr.

import { ClientError } from '../../ctap/index.js';
import type { ProgressStep, Prompter, SecretPrompt, TouchPurpose } from '../services/index.js';
import { confirm } from './confirm.js';
import { confirmNewPassword } from './confirmNewPassword.js';
import { PASSWORD_ENV, PIN_ENV, RECOVERY_CODE_ENV, type EnvironmentSecrets } from './environmentSecrets.js';
import { readSecret } from './readSecret.js';
import type { CliIo } from './registry.js';

const TOUCH_TEXT: Record<TouchPurpose, string> = {
  select: 'Several security keys are connected: touch the one to use.',
  presence: 'Touch your security key.',
  fingerprint: 'Put your finger on the security key.',
};

export interface TerminalPrompterOptions {
  io: CliIo;
  secrets: EnvironmentSecrets;
  /** The in-process demo key approves by itself: there is nothing to ask the person to touch. */
  virtualKey: boolean;
}

/**
 * A one-shot command's prompter. It never waits for a key to be plugged in (it lists what is there now), and a wrong
 * LATCHKEY_PIN is not tried again, so a script cannot use up the key's PIN attempts.
 */
export function terminalPrompter(options: TerminalPrompterOptions): Prompter {
  const { io, secrets } = options;
  return {
    secret(prompt: SecretPrompt): Promise<Uint8Array> {
      switch (prompt.kind) {
        case 'pin':
          return pin(io, secrets, prompt);
        case 'password':
          if (prompt.reason !== undefined) io.err(prompt.reason);
          return readSecret(io, secrets, {
            env: PASSWORD_ENV,
            question: `Password for ${prompt.email ?? 'the account'}: `,
            what: 'the password',
          });
        case 'new-password':
          return confirmNewPassword(io, secrets, prompt.email ?? 'the account');
        case 'recovery-code':
          return readSecret(io, secrets, {
            env: RECOVERY_CODE_ENV,
            question: `Recovery code for ${prompt.email ?? 'the account'}: `,
            what: 'the recovery code',
          });
      }
    },
    touch(prompt) {
      if (!options.virtualKey) io.err(TOUCH_TEXT[prompt.purpose]);
    },
    async insertKey(prompt) {
      // An empty list is often a transport that cannot work here: say why, as `latchkey devices` does.
      for (const t of prompt.unavailable) io.err(`${t.transport.toUpperCase()}: ${t.reason}`);
      return false;
    },
    confirm: (prompt) => confirm(io, prompt.question),
    fingerprintRetry() {
      io.err('The fingerprint was not recognised: try again.');
    },
    progress(step) {
      io.err(PROGRESS_LINES[step]);
    },
  };
}

const PROGRESS_LINES: Record<ProgressStep, string> = {
  'new-key-wanted': 'Now the key to add.',
  'recovery-code-accepted': 'Password and recovery code accepted. Now the new key.',
  'vault-key-touch': 'One more touch of the key, for the vault.',
};

async function pin(io: CliIo, secrets: EnvironmentSecrets, prompt: SecretPrompt): Promise<Uint8Array> {
  const retries = prompt.retriesLeft === undefined ? '' : ` (${prompt.retriesLeft} attempts left)`;
  const rule = prompt.minPinLength === undefined ? '' : ` (at least ${prompt.minPinLength} characters)`;
  // Asking again would spend the key's PIN attempts on the same wrong value (or loop on a malformed one).
  if (secrets.has(PIN_ENV) && prompt.retry === 'pin-invalid') {
    throw new ClientError(
      'pin-invalid',
      `${PIN_ENV} holds a wrong PIN for this key${retries}.`,
      prompt.retriesLeft === undefined ? {} : { retriesLeft: prompt.retriesLeft },
    );
  }
  if (secrets.has(PIN_ENV) && prompt.retry === 'pin-format')
    throw new ClientError('pin-policy-violation', `${PIN_ENV} holds a PIN this key cannot take${rule}.`);
  if (prompt.retry === 'pin-invalid') io.err(`Wrong PIN${retries}.`);
  if (prompt.retry === 'pin-format') io.err(`That PIN does not fit the key's rules${rule}.`);
  return readSecret(io, secrets, {
    env: PIN_ENV,
    question: `PIN of ${prompt.device ?? 'the security key'}${retries}: `,
    what: 'the security key\u2019s PIN',
  });
}
