// Asking again before a secret leaves the vault: the password where the account has one (throttled as sign-in), a
// key's touch in key-only mode.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/index.js';
import { Session, VirtualKeyStateFile, type Prompter, type SecretPrompt } from '../../../src/main/services/index.js';
import { setPin } from '../../ctap/webauthn/support.js';
import { CHEAP } from '../vault/slots/testVault.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-reauth-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('Session.reauthenticate', () => {
  it('asks the password again (a wrong one is refused), and a key-only account a touch of its key', async () => {
    const keyFile = join(dir, 'key.json');
    const key = new VirtualAuthenticator();
    await setPin(key, '4711');
    await new VirtualKeyStateFile(keyFile, key).saveIfChanged();
    const answers: Partial<Record<SecretPrompt['kind'], string>> = {
      'new-password': 'first password 1',
      password: 'first password 1',
      pin: '4711',
    };
    const asked: SecretPrompt[] = [];
    const prompter: Prompter = {
      secret: async (prompt) => {
        asked.push(prompt);
        const answer = answers[prompt.kind];
        return answer === undefined ? undefined : new TextEncoder().encode(answer);
      },
      touch: () => undefined,
      insertKey: async () => false,
      confirm: async () => true,
    };
    const session = await Session.open({
      dataDir: join(dir, 'data'),
      virtualKey: keyFile,
      prompter,
      vault: { kdf: CHEAP, minArgon2: CHEAP },
      onWarning: () => undefined,
    });
    try {
      await session.signUp({ email: 'ada@example.com' });
      await session.signIn();
      await session.addKey();
      asked.length = 0;
      await session.reauthenticate();
      expect(asked.map((p) => [p.kind, p.reason])).toEqual([
        ['password', 'Showing or exporting a secret asks the password again.'],
      ]);
      answers.password = 'not the password';
      await expect(session.reauthenticate()).rejects.toMatchObject({ reason: 'password-wrong' });
      answers.password = 'first password 1';

      await session.setSignInMode('key-only');
      asked.length = 0;
      await session.reauthenticate();
      expect(asked.map((p) => p.kind)).toEqual(['pin']);
    } finally {
      await session.close();
    }
  });
});
