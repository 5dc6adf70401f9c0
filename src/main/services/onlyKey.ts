// The one security key an operation on the key itself works on (its PIN now; passkeys, fingerprints and reset later).

import { ClientError, ClientPin, Ctap1, Ctap2, detectCtapVersion, isOpenedAuthenticator } from '../../ctap/index.js';
import type { KeySource } from './keySource.js';
import { ServiceError } from './ServiceError.js';

export interface OnlyKey {
  ctap2: Ctap2;
  pin: ClientPin;
  /** "virtual YubiKey 5 ...", or the model of the key plugged in. */
  name: string;
}

/**
 * Opens the keys of `keys` for one operation and insists on exactly one: a PIN goes to the key the person means, so
 * with several plugged in nothing is guessed. A key that speaks only U2F has no PIN and is refused.
 */
export function withOnlyKey<T>(keys: KeySource, run: (key: OnlyKey) => Promise<T>): Promise<T> {
  return keys.ceremony(async () => {
    const found = await keys.devices();
    if (found.length === 0)
      throw new ClientError('no-device', 'No security key is connected: plug one in or hold it to the reader.');
    if (found.length > 1) {
      throw new ServiceError(
        'key-ambiguous',
        `${found.length} security keys are connected: leave only the one to work on.`,
      );
    }
    const entry = found[0]!;
    const { authenticator, name } = 'authenticator' in entry ? entry : { authenticator: entry, name: undefined };
    const u2fOnly = new ClientError('device-not-supported', `${name ?? 'This key'} speaks only U2F, which has no PIN.`);
    if (authenticator instanceof Ctap1) throw u2fOnly;
    let ctap2: Ctap2;
    if (authenticator instanceof Ctap2) {
      ctap2 = authenticator;
    } else {
      const opened = isOpenedAuthenticator(authenticator) ? authenticator : await detectCtapVersion(authenticator);
      if (opened.kind !== 'ctap2') throw u2fOnly;
      ctap2 = opened.ctap2;
    }
    return run({ ctap2, pin: new ClientPin(ctap2), name: name ?? 'the security key' });
  });
}
