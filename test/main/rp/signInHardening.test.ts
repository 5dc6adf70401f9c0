// Issue #9, sign-in half: attempts counted whatever the concurrency, the same answer whether or not the email or the
// password exists, waits that stay within the policy, password rules, hashes that meet the floor, audit failures as warnings.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DamagedStoreError, RelyingParty, type RpWarning } from '../../../src/main/rp/index.js';
import { DEFAULT_SCRYPT_PARAMS, MIN_SCRYPT_PARAMS } from '../../../src/main/secrets/scrypt.js';
import { remainingWaitMs } from '../../../src/main/rp/sign-in/throttle.js';
import { openTestKey } from '../../support/webauthnResponses.js';
import {
  EMAIL,
  FAST_SCRYPT,
  FakeClock,
  PASSWORD,
  expectRefusal,
  newAccount,
  openRp,
  registerKey,
  useTempDirs,
} from './fixture.js';

const tempDir = useTempDirs();
const FILE = 'relying-party.json';

interface StoredUser {
  password: { n: number; r: number; p: number };
  password_throttle: { failures: number; last_failure_at: string | null };
  recovery_throttle: { failures: number; last_failure_at: string | null };
}
async function storedUser(dataDir: string): Promise<StoredUser> {
  return (JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as { users: StoredUser[] }).users[0]!;
}

describe('parallel attempts (issue #9 point 1)', () => {
  it('counts every one of 30 wrong passwords sent at once from separate RelyingParty instances', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock();
    await newAccount((await openRp(dataDir, {}, clock)).rp);
    const instances = await Promise.all(Array.from({ length: 30 }, () => openRp(dataDir, {}, clock)));
    const results = await Promise.allSettled(
      instances.map(({ rp }, i) => rp.signInWithPassword({ email: EMAIL, password: `wrong-${i}` })),
    );
    const reasons = results.map((r) =>
      r.status === 'rejected' ? (r.reason as { reason: string }).reason : 'signed-in',
    );
    // The three free attempts are looked at; the wait after the third applies to all the others, at once.
    expect(reasons.filter((r) => r === 'password-wrong')).toHaveLength(3);
    expect(reasons.filter((r) => r === 'throttled')).toHaveLength(27);
    expect((await storedUser(dataDir)).password_throttle.failures).toBe(3);
  });

  it('counts parallel recovery code attempts the same way', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock();
    await newAccount((await openRp(dataDir, {}, clock)).rp);
    const instances = await Promise.all(Array.from({ length: 10 }, () => openRp(dataDir, {}, clock)));
    const results = await Promise.allSettled(
      instances.map(({ rp }) =>
        rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' }),
      ),
    );
    expect(
      results.filter((r) => r.status === 'rejected' && (r.reason as { reason: string }).reason === 'throttled'),
    ).toHaveLength(7);
    expect((await storedUser(dataDir)).recovery_throttle.failures).toBe(3);
  });

  it('still signs in with the right password after parallel wrong ones, once the wait is over, and resets the count', async () => {
    const dataDir = await tempDir();
    const { rp, clock } = await openRp(dataDir);
    await newAccount(rp);
    await Promise.allSettled([1, 2, 3, 4].map((i) => rp.signInWithPassword({ email: EMAIL, password: `wrong-${i}` })));
    clock.advance(1000);
    expect(await rp.signInWithPassword({ email: EMAIL, password: PASSWORD })).toMatchObject({ status: 'signed-in' });
    expect((await storedUser(dataDir)).password_throttle).toEqual({ failures: 0, last_failure_at: null });
  });
});

describe('what a wrong sign-in reveals (issue #9 points 5 and 28)', () => {
  it('answers an unknown email with the message and retryAfterMs of a wrong password', async () => {
    const { rp } = await openRp(await tempDir());
    await newAccount(rp);
    const unknown = await expectRefusal(
      rp.signInWithPassword({ email: 'nobody@example.com', password: 'whatever it is' }),
      'password-wrong',
    );
    const wrong = await expectRefusal(
      rp.signInWithPassword({ email: EMAIL, password: 'whatever it is' }),
      'password-wrong',
    );
    expect(unknown.message).toBe(wrong.message);
    expect(unknown.retryAfterMs).toBe(wrong.retryAfterMs);
  });

  it('spends the scrypt work of a real hash on an unknown email', async () => {
    // Slow parameters make the difference between hashing and not hashing far larger than the noise.
    const slow = { n: 2 ** 15, r: 8, p: 1 };
    const { rp } = await openRp(await tempDir(), { scrypt: slow });
    await newAccount(rp);
    const time = async (email: string) => {
      const started = performance.now();
      await expectRefusal(rp.signInWithPassword({ email, password: 'not the password' }), 'password-wrong');
      return performance.now() - started;
    };
    const known = Math.min(await time(EMAIL), await time(EMAIL));
    const unknown = Math.min(await time('nobody@example.com'), await time('nobody@example.com'));
    expect(unknown).toBeGreaterThan(known / 3);
  });

  it('answers a right password on a WebAuthn-only account exactly as a wrong one, and counts it', async () => {
    const dataDir = await tempDir();
    const { rp } = await openRp(dataDir);
    const { user } = await newAccount(rp);
    // A key alone needs user verification: a key with a PIN (issue #9 point 25).
    await registerKey(rp, user.id, await openTestKey({ pin: '1234' }));
    await rp.setWebAuthnOnly({ userId: user.id, enabled: true });
    const right = await expectRefusal(rp.signInWithPassword({ email: EMAIL, password: PASSWORD }), 'password-wrong');
    const wrong = await expectRefusal(
      rp.signInWithPassword({ email: EMAIL, password: 'not the password' }),
      'password-wrong',
    );
    expect(right.message).toBe('the email or password is wrong');
    expect(wrong.message).toBe(right.message);
    expect(right.retryAfterMs).toBe(wrong.retryAfterMs);
    expect((await storedUser(dataDir)).password_throttle.failures).toBe(2);
    // The owner can still see what happened.
    expect((await rp.auditLog.read()).filter((r) => r.event === 'login-failed').map((r) => r.reason)).toEqual([
      'password-disabled',
      'password-wrong',
    ]);
  });
});

describe('waits (issue #9 point 11)', () => {
  const policy = { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 900_000 };

  it('caps the wait at the policy maximum and treats a last failure in the future as now', () => {
    const now = Date.parse('2025-03-01T09:00:00.000Z');
    const future = { failures: 40, last_failure_at: '2999-01-01T00:00:00.000Z' };
    expect(remainingWaitMs(future, now, policy)).toBe(900_000);
    expect(remainingWaitMs({ failures: 4, last_failure_at: '2999-01-01T00:00:00.000Z' }, now, policy)).toBe(2000);
  });

  it('asks at most the maximum wait after the clock moved back, and lets the attempt through once it is served', async () => {
    const dataDir = await tempDir();
    const { rp, clock } = await openRp(dataDir);
    await newAccount(rp);
    for (let i = 0; i < 5; i++) {
      await expectRefusal(rp.signInWithPassword({ email: EMAIL, password: 'not the password' }), 'password-wrong');
      clock.advance(60_000);
    }
    clock.advance(-10 * 365 * 86_400_000);
    const refusal = await expectRefusal(rp.signInWithPassword({ email: EMAIL, password: PASSWORD }), 'throttled');
    expect(refusal.retryAfterMs).toBeLessThanOrEqual(900_000);
    expect(refusal.message).toMatch(/wait 4 s before the next one/);
    clock.advance(4000);
    expect(await rp.signInWithPassword({ email: EMAIL, password: PASSWORD })).toMatchObject({ status: 'signed-in' });
  });
});

describe('password rules (issue #9 point 22)', () => {
  it('refuses whitespace-only passwords', async () => {
    const { rp } = await openRp(await tempDir());
    await expectRefusal(
      rp.signUp({ email: EMAIL, password: '        ' }),
      'password-blank',
      /the password is 8 spaces or other blank characters/,
    );
    await expectRefusal(rp.signUp({ email: EMAIL, password: '\u3000\t\u00a0\u2003 \n\u202f\u205f' }), 'password-blank');
    expect(rp.accounts()).toEqual([]);
    // Spaces inside a passphrase are fine.
    await expect(rp.signUp({ email: EMAIL, password: '  a b c d  ' })).resolves.toBeDefined();
  });

  it('caps the length at 1,024 characters at sign-up and at sign-in', async () => {
    const { rp } = await openRp(await tempDir());
    await expectRefusal(
      rp.signUp({ email: EMAIL, password: 'x'.repeat(1024 * 1024) }),
      'password-too-long',
      /has 1048576 characters, at most 1024 are allowed/,
    );
    await expectRefusal(
      rp.signUp({ email: EMAIL, password: 'é'.repeat(1025) }),
      'password-too-long',
      /has 1025 characters/,
    );
    await expect(rp.signUp({ email: EMAIL, password: 'é'.repeat(1024) })).resolves.toBeDefined();
    await expectRefusal(rp.signInWithPassword({ email: EMAIL, password: 'x'.repeat(1025) }), 'password-too-long');
  });
});

describe('password hash parameters (issue #9 point 19)', () => {
  it('defaults to N = 2^17, r = 8, p = 1 and keeps N = 2^15 as the floor', () => {
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ n: 2 ** 17, r: 8, p: 1 });
    expect(MIN_SCRYPT_PARAMS).toEqual({ n: 2 ** 15, r: 8, p: 1 });
  });

  it('refuses a stored hash weaker than the floor on load, with a sentence, and leaves the file alone', async () => {
    const dataDir = await tempDir();
    await newAccount((await openRp(dataDir)).rp);
    const file = join(dataDir, FILE);
    const weakened = (await readFile(file, 'utf8')).replace(`"n": ${FAST_SCRYPT.n}`, '"n": 2');
    await writeFile(file, weakened);
    const error = await openRp(dataDir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DamagedStoreError);
    expect((error as DamagedStoreError).problem).toBe(
      `the password hash of users.0 uses scrypt N=2, r=8, p=1, weaker than the minimum N=${FAST_SCRYPT.n}, r=8, p=1 (Latchkey never writes such a hash: the file was edited)`,
    );
    expect(await readFile(file, 'utf8')).toBe(weakened);
  });

  it('refuses weaker parameters for new hashes than the floor', async () => {
    await expectRefusal(
      RelyingParty.open({ dataDir: await tempDir(), env: {}, scrypt: FAST_SCRYPT }),
      'settings-invalid',
      /scrypt N=1024, r=8, p=1 is weaker than the minimum N=32768, r=8, p=1/,
    );
  });

  it('re-hashes a hash made at the old default at the next successful sign-in', async () => {
    const dataDir = await tempDir();
    const old = { n: 2 ** 11, r: 8, p: 1 };
    await newAccount((await openRp(dataDir, { scrypt: old, minScrypt: FAST_SCRYPT })).rp);
    expect((await storedUser(dataDir)).password.n).toBe(old.n);
    const raised = { n: 2 ** 12, r: 8, p: 1 };
    const { rp } = await openRp(dataDir, { scrypt: raised, minScrypt: FAST_SCRYPT });
    await rp.signInWithPassword({ email: EMAIL, password: PASSWORD });
    expect((await storedUser(dataDir)).password).toMatchObject(raised);
  });
});

describe('an audit log that cannot be written (issue #9 point 2)', () => {
  it('still creates the account, returns its recovery code and reports a warning', async () => {
    const dataDir = await tempDir();
    // A folder where the log should be: appending to it fails, as a read-only or full disk would.
    await mkdir(join(dataDir, 'audit.jsonl'), { recursive: true });
    const warnings: RpWarning[] = [];
    const { rp } = await openRp(dataDir, { onWarning: (w) => warnings.push(w) });
    const { user, recoveryCode } = await newAccount(rp);
    expect(recoveryCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    expect(rp.accounts().map((a) => a.id)).toEqual([user.id]);
    expect(warnings).toEqual([
      {
        code: 'audit-unwritable',
        message: expect.stringMatching(
          /^the account-created event could not be written to the audit log \(.*\); the operation itself went ahead$/,
        ),
      },
    ]);
    // And a sign-in still answers.
    expect(await rp.signInWithPassword({ email: EMAIL, password: PASSWORD })).toMatchObject({ status: 'signed-in' });
  });
});
