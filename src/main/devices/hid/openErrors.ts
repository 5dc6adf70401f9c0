// Turns a failure to open a FIDO HID device into an explanation the user can act on, per operating system.

import { TransportError } from '../../../ctap/index.js';

/** Where the udev rule ships inside the app, relative to its resources folder. */
export const UDEV_RULE_FILE = 'resources/linux/70-latchkey-fido.rules';

export function explainHidOpenError(
  error: unknown,
  path: string,
  platform: NodeJS.Platform = process.platform,
): TransportError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | undefined)?.code;
  const denied = code === 'EACCES' || /permission denied|EACCES|access (is )?denied|not permitted/i.test(message);
  if (platform === 'linux' && (denied || /cannot open device/i.test(message))) {
    return new TransportError(
      'access-denied',
      `Latchkey may not open the security key at ${path}. Linux lets normal users reach FIDO keys only through a udev rule: ` +
        `copy ${UDEV_RULE_FILE} to /etc/udev/rules.d/, run "sudo udevadm control --reload-rules && sudo udevadm trigger", ` +
        'then unplug the key and plug it in again.',
      { cause: error },
    );
  }
  if (
    platform === 'darwin' &&
    (/exclusive|busy|kIOReturnExclusiveAccess|could not open|cannot open device/i.test(message) || denied)
  ) {
    return new TransportError(
      'access-denied',
      'Another application is holding the security key (often a browser tab waiting for it). Close it, or finish what it asks, then try again.',
      { cause: error },
    );
  }
  if (platform === 'win32' && (denied || /cannot open device/i.test(message))) {
    return new TransportError(
      'access-denied',
      'Windows lets only administrators talk to FIDO security keys directly. Signing in with a key still works through ' +
        'Windows Hello; to manage the key itself (PIN, passkeys, fingerprints), restart Latchkey as administrator.',
      { cause: error },
    );
  }
  return new TransportError('io', `Could not open the security key at ${path}: ${message}`, { cause: error });
}
