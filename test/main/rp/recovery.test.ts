// Account recovery with the one-time recovery code: a new key, every other key revoked, the code spent and replaced.

import { describe, expect, it } from 'vitest';
import { createCredential, getAssertion, openTestKey } from '../../support/webauthnResponses.js';
import {
  EMAIL,
  PASSWORD,
  expectRefusal,
  newAccount,
  openRp,
  registerKey,
  signInWithKey,
  useTempDirs,
} from './fixture.js';

const tempDir = useTempDirs();

describe('recovery', () => {
  it('registers a new key, revokes all others, spends the code and hands out a new one', async () => {
    const { rp } = await openRp(await tempDir());
    const { user, recoveryCode } = await newAccount(rp);
    expect(recoveryCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    const lost = await openTestKey();
    const lostCredential = await registerKey(rp, user.id, lost);
    await registerKey(rp, user.id, await openTestKey());

    // Typed sloppily: lower case, spaces instead of dashes.
    const options = await rp.startRecovery({
      email: EMAIL,
      password: PASSWORD,
      recoveryCode: recoveryCode.toLowerCase().replace(/-/g, ' '),
    });
    expect(options.excludeCredentials).toEqual([]);
    const replacement = await openTestKey();
    const result = await rp.finishRecovery({
      response: await createCredential(replacement, options),
      displayName: 'Replacement',
    });

    expect(result.signedIn).toMatchObject({
      method: 'recovery',
      user: { id: user.id, key_count: 1, has_recovery_code: true },
    });
    expect(result.revoked.map((r) => r.reason)).toEqual(['recovery', 'recovery']);
    expect(rp.listKeys(user.id).map((c) => c.display_name)).toEqual(['Replacement']);
    expect(result.recoveryCode).not.toBe(recoveryCode);

    await expectRefusal(
      rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode }),
      'recovery-code-wrong',
      /email or recovery code is wrong/,
    );
    expect((await signInWithKey(rp, replacement)).method).toBe('password+key');
    const step = await rp.signInWithPassword({ email: EMAIL, password: 'correct horse battery staple' });
    if (step.status !== 'key-required') throw new Error('expected the key step');
    const stale = await getAssertion(lost, {
      ...step.options,
      allowCredentials: [{ id: lostCredential.id, type: 'public-key' }],
    });
    await expectRefusal(rp.finishKeySignIn({ response: stale }), 'credential-revoked', /revoked/);
    // The new code works for the next loss.
    await expect(
      rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode: result.recoveryCode }),
    ).resolves.toHaveProperty('challenge');
  });

  it('does not spend the code when the new key never answers', async () => {
    const { rp, clock } = await openRp(await tempDir());
    const { recoveryCode } = await newAccount(rp);
    await rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode });
    clock.advance(5 * 60_000);
    const options = await rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode });
    await expect(
      rp.finishRecovery({ response: await createCredential(await openTestKey(), options) }),
    ).resolves.toHaveProperty('recoveryCode');
  });

  it('ends a recovery whose code was regenerated meanwhile, and refuses the old code after regeneration', async () => {
    const { rp } = await openRp(await tempDir());
    const { user, recoveryCode } = await newAccount(rp);
    const options = await rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode });
    const fresh = await rp.regenerateRecoveryCode({ userId: user.id });
    await expectRefusal(
      rp.finishRecovery({ response: await createCredential(await openTestKey(), options) }),
      'recovery-code-wrong',
      /spent or replaced after this recovery began/,
    );
    await expectRefusal(rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode }), 'recovery-code-wrong');
    await expect(rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode: fresh })).resolves.toHaveProperty(
      'challenge',
    );
  });

  it('takes a key-only account back to password-and-key: the password stays a way in (2FAuth turns WebAuthn-only off)', async () => {
    const { rp } = await openRp(await tempDir());
    const { user, recoveryCode } = await newAccount(rp);
    await registerKey(rp, user.id, await openTestKey({ pin: '1234' }));
    await rp.setSignInMode({ userId: user.id, mode: 'key-only' });
    const options = await rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode });
    expect(options.authenticatorSelection?.residentKey).toBe('discouraged');
    const replacement = await openTestKey();
    const { signedIn } = await rp.finishRecovery({ response: await createCredential(replacement, options) });
    expect(signedIn.user).toMatchObject({ sign_in_mode: 'password-and-key', webauthn_only: false });
    expect((await signInWithKey(rp, replacement)).method).toBe('password+key');
    const events = (await rp.auditLog.read())
      .filter((r) => r.event === 'mode-changed')
      .map((r) => `${r.from}->${r.to}:${r.reason}`);
    expect(events.at(-1)).toBe('key-only->password-and-key:recovery');
  });

  it('throttles wrong recovery codes like passwords', async () => {
    const { rp } = await openRp(await tempDir());
    await newAccount(rp);
    for (let i = 0; i < 3; i++)
      await expectRefusal(
        rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA' }),
        'recovery-code-wrong',
      );
    const refusal = await expectRefusal(
      rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA' }),
      'throttled',
      /wait 1 s/,
    );
    expect(refusal.retryAfterMs).toBe(1000);
  });
});
