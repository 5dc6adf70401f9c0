// The Prompter contract: everything a service needs from the person (touch, PIN, secrets, a choice, a key, a yes), cancellable.

/** What the key waits for: a touch to pick it among several, a touch to approve, or a finger on its sensor. */
export type TouchPurpose = 'select' | 'presence' | 'fingerprint';

export interface TouchPrompt {
  purpose: TouchPurpose;
  /** The key's name, when known ("YubiKey 5 NFC"). */
  device?: string;
  /** Aborted when the key stops waiting (touched, cancelled, timed out): take the message down. */
  signal: AbortSignal;
}

/**
 * Why a secret is asked for. `pin`: a security key's PIN. `password`: the account's password. `new-password`: the
 * password of an account being created (a prompter at a terminal may ask twice). `recovery-code`: the account's
 * one-time recovery code.
 */
export type SecretKind = 'pin' | 'password' | 'new-password' | 'recovery-code';

export interface SecretPrompt {
  kind: SecretKind;
  /** The account it is for (password, new password, recovery code). */
  email?: string;
  /** Why it is asked again in a session already signed in, one sentence (the vault's password slot is rewritten). */
  reason?: string;
  /** For a PIN: the key asking, when known. */
  device?: string;
  /**
   * For a PIN: why it is asked again. `pin-invalid`: the last one was wrong; `pin-format`: it broke the key's rules and
   * was not sent. Undefined for a first request.
   */
  retry?: 'pin-invalid' | 'pin-format';
  /** For a PIN: attempts left before the key blocks it for good. */
  retriesLeft?: number;
  /** For a PIN: the shortest PIN the key takes, in characters. */
  minPinLength?: number;
  signal: AbortSignal;
}

/** One key to choose from. */
export interface KeyChoice {
  name?: string;
  transport: string;
}

export interface ChooseKeyPrompt {
  keys: readonly KeyChoice[];
  signal: AbortSignal;
}

export interface InsertKeyPrompt {
  /** Transports that cannot work here, with why (pcscd not running...): often the reason no key is seen. */
  unavailable: readonly { transport: 'usb' | 'nfc'; reason: string }[];
  /** Aborted when a key arrives or the operation is cancelled: take the message down. */
  signal: AbortSignal;
}

export interface ConfirmPrompt {
  /** The question, one sentence ending with "?". */
  question: string;
  signal: AbortSignal;
}

/**
 * How services reach the person, whatever the front end: the CLI answers on the terminal, the desktop app over IPC.
 * One prompter per session: nothing here is process-wide. Every request carries an AbortSignal; when it aborts, the
 * prompt closes and its promise may reject.
 *
 * A prompter may also throw its own error (a terminal with nobody at it); services pass it on unchanged.
 */
export interface Prompter {
  /**
   * A secret as UTF-8 bytes. The service takes them over and zeroes them once used (a string could not be wiped).
   * Resolve undefined when the person cancels.
   */
  secret(prompt: SecretPrompt): Promise<Uint8Array | undefined>;
  /** The key waits for the person: say so until `signal` aborts. */
  touch(prompt: TouchPrompt): void;
  /**
   * Several keys are connected: resolve the index of the one to use, or undefined to cancel. Absent: every key is
   * asked for a touch and the first one touched is used (the prompter hears of it through `touch`, purpose `select`).
   */
  chooseKey?(prompt: ChooseKeyPrompt): Promise<number | undefined>;
  /**
   * No key is connected. Resolve true to look again (the person plugged one in, or the service saw one arrive and
   * aborted `signal`), false to give up.
   */
  insertKey(prompt: InsertKeyPrompt): Promise<boolean>;
  /** A permanent change: resolve true only when the person says yes. */
  confirm(prompt: ConfirmPrompt): Promise<boolean>;
  /** Built-in user verification did not recognise the finger; the key asks again. */
  fingerprintRetry?(prompt: { retriesLeft?: number; device?: string }): void;
  /** Where a multi-step operation has got to, for a front end that shows it. */
  progress?(step: ProgressStep): void;
}

/**
 * `new-key-wanted`: signed in (or recovery code accepted), the next touch registers the key to add.
 * `recovery-code-accepted`: the password and the recovery code are right; the new key comes next.
 * `vault-key-touch`: one more touch of a key, for the vault only: its slot's output (a key that gave none at
 * registration, a sign-in whose UV state differs from the slot's, a mode change rewrapping each key's slot).
 */
export type ProgressStep = 'new-key-wanted' | 'recovery-code-accepted' | 'vault-key-touch';
