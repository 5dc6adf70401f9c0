// `latchkey device pin change`: replaces a key's PIN, given the current one (also what a key with forcePINChange waits for).

import { ClientError } from '../../../ctap/index.js';
import { parseOptions } from '../parseOptions.js';
import { readCurrentPin, readNewPin, withPinKey } from '../pinKey.js';
import { registerCommand } from '../registry.js';

registerCommand('device pin change', {
  summary: 'change a security key\u2019s PIN (LATCHKEY_PIN and LATCHKEY_NEW_PIN, or typed)',
  usage: 'latchkey device pin change',
  async run(args, io, globals) {
    parseOptions(args, {});
    return withPinKey(globals, io, async (key) => {
      if (key.ctap2.info.options.get('clientPin') !== true) {
        throw new ClientError('pin-not-set', `${key.name} has no PIN yet: set one with "latchkey device pin set".`);
      }
      const current = await readCurrentPin(io, key);
      try {
        const next = await readNewPin(io, key);
        try {
          await key.pin.changePin(current, next);
        } finally {
          next.fill(0);
        }
      } finally {
        current.fill(0);
      }
      io.out(`PIN changed on ${key.name}.`);
      return 0;
    });
  },
});
