// The user verification policy's sources (environment > data folder .env > setting), their validation, and the .env reader.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RelyingParty } from '../../../src/main/rp/index.js';
import { parseDotEnv } from '../../../src/main/config/parseDotEnv.js';
import { FAST_SCRYPT, expectRefusal, newAccount, openRp, useTempDirs } from './fixture.js';

const tempDir = useTempDirs();

describe('user verification policy', () => {
  it('defaults to "preferred" from the settings', async () => {
    const { rp } = await openRp(await tempDir());
    expect(rp.settings()).toMatchObject({
      rp_id: 'latchkey.localhost',
      rp_origin: 'https://latchkey.localhost',
      rp_display_name: 'Latchkey',
      user_verification: 'preferred',
      effective_user_verification: { policy: 'preferred', source: 'settings' },
    });
  });

  it('takes WEBAUTHN_USER_VERIFICATION from the environment over the .env file and the setting', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, '.env'), 'WEBAUTHN_USER_VERIFICATION=discouraged\n');
    const { rp } = await openRp(dataDir, { env: { WEBAUTHN_USER_VERIFICATION: ' Required ' } });
    expect(rp.settings().effective_user_verification).toEqual({ policy: 'required', source: 'environment' });
    const { user } = await newAccount(rp);
    expect((await rp.startKeyRegistration({ userId: user.id })).authenticatorSelection?.userVerification).toBe(
      'required',
    );
    // Changing the setting is recorded, but the environment still decides.
    const view = await rp.updateSettings({ userVerification: 'discouraged' });
    expect(view).toMatchObject({
      user_verification: 'discouraged',
      effective_user_verification: { policy: 'required', source: 'environment' },
    });
  });

  it("reads the data folder's .env file, 2FAuth style, ignoring comments and other variables", async () => {
    const dataDir = await tempDir();
    await writeFile(
      join(dataDir, '.env'),
      '# Latchkey\nAPP_KEY=base64:c2VjcmV0\n\nWEBAUTHN_USER_VERIFICATION="discouraged" # as in 2FAuth\n',
    );
    const { rp } = await openRp(dataDir);
    expect(rp.settings().effective_user_verification).toEqual({ policy: 'discouraged', source: 'dotenv' });
  });

  it('refuses an unknown policy value, naming it, where it was and the allowed ones', async () => {
    const fromEnv = RelyingParty.open({
      dataDir: await tempDir(),
      env: { WEBAUTHN_USER_VERIFICATION: 'sometimes' },
      scrypt: FAST_SCRYPT,
      minScrypt: FAST_SCRYPT,
    });
    await expectRefusal(
      fromEnv,
      'settings-invalid',
      /environment variable WEBAUTHN_USER_VERIFICATION is "sometimes", which is not a user verification policy; expected one of required, preferred, discouraged/,
    );

    const dataDir = await tempDir();
    await writeFile(join(dataDir, '.env'), 'WEBAUTHN_USER_VERIFICATION=always\n');
    await expectRefusal(
      RelyingParty.open({ dataDir, env: {}, scrypt: FAST_SCRYPT, minScrypt: FAST_SCRYPT }),
      'settings-invalid',
      new RegExp(`WEBAUTHN_USER_VERIFICATION in ${dataDir}/\\.env is "always"`),
    );
  });

  it('names a malformed .env line by number, never by content (a 2FAuth .env holds secrets)', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, '.env'), 'APP_NAME=2FAuth\nhunter2 is my password\n');
    const refusal = await expectRefusal(
      RelyingParty.open({ dataDir, env: {}, scrypt: FAST_SCRYPT, minScrypt: FAST_SCRYPT }),
      'settings-invalid',
      /\.env line 2 is not a KEY=VALUE assignment/,
    );
    expect(refusal.message).not.toContain('hunter2');
  });

  it('parses KEY=VALUE lines: export, quotes, trailing comments, CRLF, a BOM, last assignment wins', () => {
    const vars = parseDotEnv(
      '\uFEFF# top\r\nexport A=1\r\nB = "two # not a comment"\nC=\'three\'\nD=four # comment\nE=\nA=5\n',
    );
    expect(Object.fromEntries(vars)).toEqual({ A: '5', B: 'two # not a comment', C: 'three', D: 'four', E: '' });
  });
});
