// LATCHKEY_PASSWORD, LATCHKEY_NEW_PASSWORD, LATCHKEY_PIN, LATCHKEY_NEW_PIN and LATCHKEY_RECOVERY_CODE, taken out of the environment as the command starts.

export const PASSWORD_ENV = 'LATCHKEY_PASSWORD';
/** `account password`'s new password (LATCHKEY_PASSWORD is the current one there). */
export const NEW_PASSWORD_ENV = 'LATCHKEY_NEW_PASSWORD';
export const PIN_ENV = 'LATCHKEY_PIN';
export const NEW_PIN_ENV = 'LATCHKEY_NEW_PIN';
export const RECOVERY_CODE_ENV = 'LATCHKEY_RECOVERY_CODE';

export type SecretVariable =
  typeof PASSWORD_ENV | typeof NEW_PASSWORD_ENV | typeof PIN_ENV | typeof NEW_PIN_ENV | typeof RECOVERY_CODE_ENV;

const SECRET_VARIABLES: readonly SecretVariable[] = [
  PASSWORD_ENV,
  NEW_PASSWORD_ENV,
  PIN_ENV,
  NEW_PIN_ENV,
  RECOVERY_CODE_ENV,
];

/** The secrets scripts gave, held as bytes for one command. */
export interface EnvironmentSecrets {
  /** Whether the variable was set (and not empty). */
  has(name: SecretVariable): boolean;
  /** A copy of its UTF-8 bytes, which the caller zeroes; undefined when it was not set. */
  get(name: SecretVariable): Buffer | undefined;
  /** Zeroes what is held. */
  dispose(): void;
}

/**
 * Takes the variables out of `env`, so that no child process inherits them and nothing later in this process reads
 * them by accident. The operating system's copy of the starting environment (/proc/PID/environ, `ps e`) cannot be
 * changed: docs/cli.md says so.
 */
export function takeEnvironmentSecrets(env: Record<string, string | undefined>): EnvironmentSecrets {
  const held = new Map<SecretVariable, Buffer>();
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    delete env[name];
    if (value !== undefined && value !== '') held.set(name, Buffer.from(value, 'utf8'));
  }
  return {
    has: (name) => held.has(name),
    get: (name) => {
      const value = held.get(name);
      return value === undefined ? undefined : Buffer.from(value);
    },
    dispose() {
      for (const value of held.values()) value.fill(0);
      held.clear();
    },
  };
}
