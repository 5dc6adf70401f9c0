// Password attempts: growing waits reported to the caller (fake clock), persisted across restarts, and hashes upgraded on success.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { throttleDelayMs } from '../../../src/main/rp/sign-in/throttle.js';
import { EMAIL, FAST_SCRYPT, PASSWORD, expectRefusal, newAccount, openRp, useTempDirs } from './fixture.js';

const tempDir = useTempDirs();
const WRONG = 'not the password';

describe('password throttling', () => {
  it('waits 0, 0, 0, 1 s, 2 s, 4 s ... and caps the wait at 15 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => throttleDelayMs(n))).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16000]);
    expect(throttleDelayMs(13)).toBe(900_000);
    expect(throttleDelayMs(5000)).toBe(900_000);
  });

  it('reports the wait instead of sleeping, ignores attempts made during it, and resets after a success', async () => {
    const { rp, clock } = await openRp(await tempDir());
    await newAccount(rp);
    const waits: (number | undefined)[] = [];
    for (let i = 0; i < 3; i++)
      waits.push(
        (await expectRefusal(rp.signInWithPassword({ email: EMAIL, password: WRONG }), 'password-wrong')).retryAfterMs,
      );
    expect(waits).toEqual([0, 0, 1000]);

    // Even the right password is not looked at during the wait, and the attempt does not count.
    const early = await expectRefusal(
      rp.signInWithPassword({ email: EMAIL, password: PASSWORD }),
      'throttled',
      /wait 1 s before the next one/,
    );
    expect(early.retryAfterMs).toBe(1000);
    clock.advance(400);
    expect(
      (await expectRefusal(rp.signInWithPassword({ email: EMAIL, password: WRONG }), 'throttled')).retryAfterMs,
    ).toBe(600);

    clock.advance(600);
    expect(
      (
        await expectRefusal(
          rp.signInWithPassword({ email: EMAIL, password: WRONG }),
          'password-wrong',
          /wait 2 s before the next attempt/,
        )
      ).retryAfterMs,
    ).toBe(2000);
    clock.advance(1999);
    expect(
      (await expectRefusal(rp.signInWithPassword({ email: EMAIL, password: PASSWORD }), 'throttled')).retryAfterMs,
    ).toBe(1);
    clock.advance(1);
    expect(await rp.signInWithPassword({ email: EMAIL, password: PASSWORD })).toMatchObject({ status: 'signed-in' });
    // The success reset the count: three more typos cost nothing.
    for (let i = 0; i < 2; i++)
      expect(
        (await expectRefusal(rp.signInWithPassword({ email: EMAIL, password: WRONG }), 'password-wrong')).retryAfterMs,
      ).toBe(0);
  });

  it('keeps the wait across a restart', async () => {
    const dataDir = await tempDir();
    const first = await openRp(dataDir);
    await newAccount(first.rp);
    for (let failures = 0; failures < 5; failures++) {
      first.clock.advance(throttleDelayMs(failures));
      await expectRefusal(first.rp.signInWithPassword({ email: EMAIL, password: WRONG }), 'password-wrong');
    }
    const again = await openRp(dataDir, {}, first.clock);
    expect(
      (await expectRefusal(again.rp.signInWithPassword({ email: EMAIL, password: PASSWORD }), 'throttled'))
        .retryAfterMs,
    ).toBe(4000);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const { rp } = await openRp(await tempDir());
    await newAccount(rp);
    const wrongPassword = await expectRefusal(
      rp.signInWithPassword({ email: EMAIL, password: WRONG }),
      'password-wrong',
    );
    const unknownEmail = await expectRefusal(
      rp.signInWithPassword({ email: 'mallory@example.com', password: WRONG }),
      'password-wrong',
    );
    expect(unknownEmail.message).toBe(wrongPassword.message);
  });

  it('refuses short passwords at sign-up and re-hashes with stronger scrypt parameters at the next sign-in', async () => {
    const dataDir = await tempDir();
    const weak = await openRp(dataDir);
    await expectRefusal(
      weak.rp.signUp({ email: EMAIL, password: 'seven77' }),
      'password-too-short',
      /has 7 characters, at least 8 are needed/,
    );
    await newAccount(weak.rp);
    const stored = async () =>
      (
        JSON.parse(await readFile(join(dataDir, 'relying-party.json'), 'utf8')) as {
          users: { password: { n: number } }[];
        }
      ).users[0]!.password.n;
    expect(await stored()).toBe(FAST_SCRYPT.n);
    const stronger = await openRp(dataDir, { scrypt: { ...FAST_SCRYPT, n: FAST_SCRYPT.n * 2 } });
    await stronger.rp.signInWithPassword({ email: EMAIL, password: PASSWORD });
    expect(await stored()).toBe(FAST_SCRYPT.n * 2);
    expect(await stronger.rp.signInWithPassword({ email: EMAIL, password: PASSWORD })).toMatchObject({
      status: 'signed-in',
    });
  });
});
