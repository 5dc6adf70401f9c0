// The services layer without a terminal: the sign-in decision, two sessions in one process, the lock, PIN bytes wiped.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/index.js';
import type { AccountSummary } from '../../../src/main/rp/index.js';
import {
  chooseSignInPath,
  ServiceError,
  Session,
  VirtualKeyStateFile,
  type Prompter,
  type SecretPrompt,
} from '../../../src/main/services/index.js';
import { setPin } from '../../ctap/webauthn/support.js';

const PASSWORD = 'correct horse battery staple';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-services-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A prompter that answers secrets from a table and keeps the bytes it handed out, to check they were wiped. */
function scriptedPrompter(answers: Partial<Record<SecretPrompt['kind'], string>>) {
  const handedOut: Uint8Array[] = [];
  const asked: SecretPrompt['kind'][] = [];
  const prompter: Prompter = {
    async secret(prompt) {
      asked.push(prompt.kind);
      const answer = answers[prompt.kind];
      if (answer === undefined) return undefined;
      const bytes = new TextEncoder().encode(answer);
      handedOut.push(bytes);
      return bytes;
    },
    touch: () => undefined,
    insertKey: async () => false,
    confirm: async () => true,
  };
  return { prompter, handedOut, asked };
}

const account = (email: string, webauthnOnly: boolean) =>
  ({
    id: email,
    email,
    webauthn_only: webauthnOnly,
    sign_in_mode: webauthnOnly ? 'key-only' : 'password-and-key',
  }) as AccountSummary;

describe('the sign-in decision', () => {
  it('follows the account\u2019s mode, and refuses to guess among several password accounts', () => {
    const a = account('a@example.com', false);
    const b = account('b@example.com', true);
    expect(chooseSignInPath({ accounts: [a], dataDir: 'd' })).toEqual({
      kind: 'password-then-key',
      email: 'a@example.com',
    });
    expect(chooseSignInPath({ accounts: [a, b], account: b, dataDir: 'd' })).toEqual({
      kind: 'key',
      email: 'b@example.com',
    });
    expect(chooseSignInPath({ accounts: [a, b], dataDir: 'd' })).toEqual({ kind: 'key' });
    expect(() => chooseSignInPath({ accounts: [a, account('c@example.com', false)], dataDir: 'd' })).toThrow(
      ServiceError,
    );
    expect(() => chooseSignInPath({ accounts: [], dataDir: 'd' })).toThrow(/no account in d/);
  });
});

describe('a session', () => {
  it('two sessions in one process keep their own signed-in account; lock tells the listeners and signs out', async () => {
    const dataDir = join(dir, 'two');
    const first = scriptedPrompter({ 'new-password': PASSWORD, password: PASSWORD });
    const one = await Session.open({ dataDir, virtualKey: join(dir, 'two-key.json'), prompter: first.prompter });
    await one.signUp({ email: 'a@example.com' });
    await one.signUp({ email: 'b@example.com' });
    const two = await Session.open({
      dataDir,
      virtualKey: join(dir, 'two-key.json'),
      prompter: scriptedPrompter({ password: PASSWORD }).prompter,
    });
    try {
      await one.signIn({ email: 'a@example.com' });
      await two.signIn({ email: 'b@example.com' });
      expect(one.signedIn?.user.email).toBe('a@example.com');
      expect(two.signedIn?.user.email).toBe('b@example.com');

      const locked: string[] = [];
      one.onLock((a) => locked.push(a.email));
      one.lock();
      expect(locked).toEqual(['a@example.com']);
      expect(one.signedIn).toBeUndefined();
      expect(() => one.listKeys()).toThrow(expect.objectContaining({ reason: 'signed-out' }));
      expect(two.listKeys()).toEqual([]);
      // Every password handed to the services was wiped once used.
      expect(first.handedOut.length).toBeGreaterThan(0);
      for (const bytes of first.handedOut) expect(bytes.every((b) => b === 0)).toBe(true);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('hands the key\u2019s PIN to the key as bytes and wipes them', async () => {
    const keyFile = join(dir, 'pin-key.json');
    const key = new VirtualAuthenticator();
    await setPin(key, '4711');
    await new VirtualKeyStateFile(keyFile, key).saveIfChanged();
    const scripted = scriptedPrompter({ 'new-password': PASSWORD, password: PASSWORD, pin: '4711' });
    const session = await Session.open({ dataDir: join(dir, 'pin'), virtualKey: keyFile, prompter: scripted.prompter });
    try {
      await session.signUp({ email: 'a@example.com' });
      await session.signIn();
      const added = await session.addKey();
      expect(added.flags.user_verified).toBe(true);
      expect(scripted.asked).toContain('pin');
      for (const bytes of scripted.handedOut) expect(bytes.every((b) => b === 0)).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('a cancelled password prompt ends the sign-in with ServiceError cancelled', async () => {
    const dataDir = join(dir, 'cancel');
    const setup = await Session.open({
      dataDir,
      virtualKey: join(dir, 'cancel-key.json'),
      prompter: scriptedPrompter({ 'new-password': PASSWORD }).prompter,
    });
    await setup.signUp({ email: 'a@example.com' });
    await setup.close();
    const session = await Session.open({
      dataDir,
      virtualKey: join(dir, 'cancel-key.json'),
      prompter: scriptedPrompter({}).prompter,
    });
    await expect(session.signIn()).rejects.toMatchObject({ name: 'ServiceError', reason: 'cancelled' });
    await session.close();
  });
});
