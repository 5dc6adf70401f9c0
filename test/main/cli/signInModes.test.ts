// The CLI side of issue #9: `settings set sign-in`, `login --with-key`, recovery asking the password then the code, and the way out under "required".

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureCli, runLatchkey } from '../../support/cliRun.js';

const EMAIL = 'carol@example.com';
const PASSWORD = 'carol password 1234';
const PIN = '8642';
const VARIABLES = [
  'LATCHKEY_PASSWORD',
  'LATCHKEY_PIN',
  'LATCHKEY_NEW_PIN',
  'LATCHKEY_RECOVERY_CODE',
  'WEBAUTHN_USER_VERIFICATION',
] as const;

let dir: string;
let saved: Partial<Record<(typeof VARIABLES)[number], string>> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-modes-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  saved = {};
  for (const name of VARIABLES) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
  process.env.LATCHKEY_PASSWORD = PASSWORD;
});
afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** Runs latchkey with --data-dir and --virtual-key in `home`; `answers` makes it a terminal that types them. */
function latchkey(home: string, args: string[], answers?: string[]) {
  const where = { dataDir: join(dir, home, 'data'), key: join(dir, home, 'key.json') };
  return runLatchkey(where, args, captureCli(answers ? { answers } : {}));
}

/** An account whose demo key has a PIN and is registered; returns the recovery code. */
async function accountWithPinKey(home: string): Promise<string> {
  const created = await latchkey(home, ['account', 'create', '--email', EMAIL, '--json']);
  expect(created.code, created.text()).toBe(0);
  process.env.LATCHKEY_NEW_PIN = PIN;
  expect((await latchkey(home, ['device', 'pin', 'set'])).code).toBe(0);
  process.env.LATCHKEY_PIN = PIN;
  const added = await latchkey(home, ['key', 'add']);
  expect(added.code, added.text()).toBe(0);
  return (JSON.parse(created.out.join('\n')) as { recoveryCode: string }).recoveryCode;
}

describe('latchkey sign-in modes', () => {
  it('settings set sign-in password-or-key: login uses the password alone, login --with-key the key alone with its PIN', async () => {
    await accountWithPinKey('or');
    const set = await latchkey('or', ['settings', 'set', 'sign-in', 'password-or-key']);
    expect(set.code, set.text()).toBe(0);
    expect(set.out).toEqual([
      expect.stringMatching(
        /^Sign-in mode of carol@example\.com: password-or-key: the password alone or a security key alone/,
      ),
    ]);

    const password = await latchkey('or', ['login']);
    expect(password.out).toEqual([`Signed in as ${EMAIL} with the password alone (password-or-key).`]);
    delete process.env.LATCHKEY_PASSWORD;
    const key = await latchkey('or', ['login', '--with-key', '--json']);
    expect(key.code, key.text()).toBe(0);
    expect(JSON.parse(key.out.join('\n'))).toMatchObject({
      signedIn: { method: 'key', account: { sign_in_mode: 'password-or-key', webauthn_only: false } },
    });
    // Without the PIN nobody can verify: the key alone is refused, and the refusal names the way out.
    delete process.env.LATCHKEY_PIN;
    const noPin = await latchkey('or', ['login', '--with-key']);
    expect(noPin.code).toBe(2);
    expect(noPin.err.at(-1)).toMatch(/the security key’s PIN is needed: set LATCHKEY_PIN/);
  });

  it('explains the modes in the help, refuses an unknown one, and keeps webauthn-only on|off', async () => {
    const help = await latchkey('help', ['settings', 'set', '--help']);
    expect(help.out.join('\n')).toMatch(
      /password-or-key +the password alone or a security key alone[\s\S]*password-and-key +the password, then a security key[\s\S]*key-only +a security key alone/,
    );
    await accountWithPinKey('wo');
    const bad = await latchkey('wo', ['settings', 'set', 'sign-in', 'password-xor-key']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toMatch(
      /sign-in "password-xor-key" is not one of password-or-key, password-and-key, key-only/,
    );
    const on = await latchkey('wo', ['settings', 'set', 'webauthn-only', 'on', '--json']);
    expect(JSON.parse(on.out.join('\n'))).toMatchObject({ account: { sign_in_mode: 'key-only', webauthn_only: true } });
  });

  it('recovery use asks the password, then the code, and refuses a wrong password before the code', async () => {
    const code = await accountWithPinKey('rec');
    delete process.env.LATCHKEY_PASSWORD;
    const wrong = await latchkey('rec', ['recovery', 'use'], ['not the password', code]);
    expect(wrong.code).toBe(3);
    expect(wrong.asked).toEqual([`Password for ${EMAIL}: `, `Recovery code for ${EMAIL}: `]);
    expect(wrong.err.at(-1)).toBe('latchkey recovery use: the email or password is wrong');

    const right = await latchkey('rec', ['recovery', 'use', '--name', 'Spare'], [PASSWORD, code]);
    expect(right.code, right.text()).toBe(0);
    expect(right.out.join('\n')).toMatch(/Sign-in mode: password-and-key/);
  });

  it('refuses uv required while the key never verified the user, and a PIN-less key under "required" is told the way out', async () => {
    const created = await latchkey('uv', ['account', 'create', '--email', EMAIL]);
    expect(created.code).toBe(0);
    expect((await latchkey('uv', ['key', 'add'])).code).toBe(0);
    const refused = await latchkey('uv', ['settings', 'set', 'uv', 'required']);
    expect(refused.code).toBe(3);
    expect(refused.err.at(-1)).toMatch(
      /setting the user verification policy to "required" is refused: .* Set a PIN on one of its keys and sign in once with it/,
    );

    process.env.WEBAUTHN_USER_VERIFICATION = 'required';
    const login = await latchkey('uv', ['login']);
    expect(login.code).toBe(1);
    expect(login.err.at(-1)).toMatch(
      /the key has no PIN set: set a PIN on the key first\. WEBAUTHN_USER_VERIFICATION=required in the environment makes user verification required: .* remove that variable/,
    );
  });
});
