// The relying party's checkOnly: the same refusal as the change itself, and nothing written when it would pass.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, type Prompter } from '../../../src/main/services/index.js';
import { CHEAP } from '../vault/slots/testVault.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-check-only-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const prompter: Prompter = {
  secret: async () => new TextEncoder().encode('correct horse battery staple'),
  touch: () => undefined,
  insertKey: async () => false,
  confirm: async () => true,
};

describe('checkOnly on setSignInMode and revokeKey', () => {
  it('refuses as the change would, and writes nothing when the change would pass', async () => {
    const dataDir = join(dir, 'data');
    const session = await Session.open({
      dataDir,
      virtualKey: join(dir, 'key.json'),
      prompter,
      vault: { kdf: CHEAP, minArgon2: CHEAP },
      onWarning: () => undefined,
    });
    try {
      const { user } = await session.signUp({ email: 'ada@example.com' });
      await session.signIn();
      const file = join(dataDir, 'relying-party.json');
      await expect(
        session.rp.setSignInMode({ userId: user.id, mode: 'key-only', checkOnly: true }),
      ).rejects.toMatchObject({ reason: 'lockout' });
      const key = await session.addKey({ displayName: 'A' });
      const before = await readFile(file);
      const checked = await session.rp.setSignInMode({ userId: user.id, mode: 'password-or-key', checkOnly: true });
      expect(checked.sign_in_mode).toBe('password-or-key');
      const revoked = await session.rp.revokeKey({
        userId: user.id,
        credentialId: key.id,
        confirm: true,
        checkOnly: true,
      });
      expect(revoked.revoked.id).toBe(key.id);
      expect(await readFile(file)).toEqual(before);
      expect(session.account().sign_in_mode).toBe('password-and-key');
      expect(session.listKeys().map((k) => k.id)).toEqual([key.id]);
    } finally {
      await session.close();
    }
  });
});
