// `latchkey device pin set`: gives a key without a PIN its first PIN, so it can verify its user (a key alone signs in only so).

import { ClientError } from '../../../ctap/index.js';
import { parseOptions } from '../parseOptions.js';
import { readNewPin, withPinKey } from '../pinKey.js';
import { registerCommand } from '../registry.js';

registerCommand('device pin set', {
  summary: 'set a PIN on a security key that has none (LATCHKEY_NEW_PIN, or typed twice)',
  usage: 'latchkey device pin set',
  async run(args, io, globals) {
    parseOptions(args, {});
    return withPinKey(globals, io, async (key) => {
      if (key.ctap2.info.options.get('clientPin') === true) {
        throw new ClientError(
          'not-allowed',
          `${key.name} already has a PIN: change it with "latchkey device pin change".`,
        );
      }
      const pin = await readNewPin(io, key);
      try {
        await key.pin.setPin(pin);
      } finally {
        pin.fill(0);
      }
      io.out(
        `PIN set on ${key.name}. Ceremonies that verify the user now ask for it; a key alone signs in only with it.`,
      );
      return 0;
    });
  },
});
