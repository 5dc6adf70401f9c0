// The sign-in model of issue #9: three sign-in modes, user verification whenever a key alone signs in, a lock-out guard that
// knows which keys verify the user, recovery with the password and the code, the counter and BE decided on what is on disk.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/index.js';
import type { RelyingParty } from '../../../src/main/rp/index.js';
import { SoftPasskey } from '../../support/softPasskey.js';
import { createCredential, getAssertion, openTestKey, type TestKey } from '../../support/webauthnResponses.js';
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
const PIN = '1234';

/** A second handle on the same virtual key state: a byte-for-byte clone of the key. */
async function cloneOf(key: TestKey): Promise<TestKey> {
  const authenticator = new VirtualAuthenticator({ state: key.authenticator.toJSON(), keepaliveIntervalMs: 10 });
  const ctap2 = await Ctap2.create(await CtapHidDevice.open(authenticator.hidConnection(), { transport: 'virtual' }));
  return { authenticator, ctap2, pin: key.pin };
}

/** The key-alone sign-in end to end, with the email typed. */
async function keyAlone(rp: RelyingParty, key: TestKey, uv?: boolean) {
  const options = await rp.startPasswordlessSignIn({ email: EMAIL });
  return rp.finishKeySignIn({ response: await getAssertion(key, options, uv === undefined ? {} : { uv }) });
}

async function secondFactorOptions(rp: RelyingParty) {
  const step = await rp.signInWithPassword({ email: EMAIL, password: PASSWORD });
  if (step.status !== 'key-required') throw new Error(`expected a key step, got ${step.status}`);
  return step.options;
}

describe('sign-in modes (point 29)', () => {
  it('gives a new account password-and-key, and webauthn_only stays true for key-only alone', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    expect(user).toMatchObject({ sign_in_mode: 'password-and-key', webauthn_only: false });
    await registerKey(rp, user.id, await openTestKey({ pin: PIN }));
    expect(await rp.setSignInMode({ userId: user.id, mode: 'password-or-key' })).toMatchObject({
      sign_in_mode: 'password-or-key',
      webauthn_only: false,
    });
    expect(await rp.setSignInMode({ userId: user.id, mode: 'key-only' })).toMatchObject({
      sign_in_mode: 'key-only',
      webauthn_only: true,
    });
    // setWebAuthnOnly is a thin wrapper: off is password-and-key.
    expect(await rp.setWebAuthnOnly({ userId: user.id, enabled: false })).toMatchObject({
      sign_in_mode: 'password-and-key',
    });
    await expectRefusal(
      rp.setSignInMode({ userId: user.id, mode: 'password-xor-key' as never }),
      'settings-invalid',
      /expected one of password-or-key, password-and-key, key-only/,
    );
    const events = (await rp.auditLog.read())
      .filter((r) => r.event === 'mode-changed')
      .map((r) => `${r.setting}:${r.from}->${r.to}`);
    expect(events).toEqual([
      'sign_in_mode:password-and-key->password-or-key',
      'sign_in_mode:password-or-key->key-only',
      'sign_in_mode:key-only->password-and-key',
    ]);
  });

  it('password-or-key: the password alone signs in although keys exist, and a key alone signs in with its PIN', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await openTestKey({ pin: PIN });
    await registerKey(rp, user.id, key);
    await rp.setSignInMode({ userId: user.id, mode: 'password-or-key' });
    expect(await rp.signInWithPassword({ email: EMAIL, password: PASSWORD })).toMatchObject({
      status: 'signed-in',
      signedIn: { method: 'password', warnings: [] },
    });
    expect(await keyAlone(rp, key)).toMatchObject({ method: 'key', user: { id: user.id } });
    // Keys registered now are discoverable: a key alone may sign in without the email.
    expect((await rp.startKeyRegistration({ userId: user.id })).authenticatorSelection?.residentKey).toBe('required');
  });

  it('password-and-key: a key alone is refused; key-only: the password is refused', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await openTestKey({ pin: PIN });
    await registerKey(rp, user.id, key);
    await expectRefusal(rp.startPasswordlessSignIn({ email: EMAIL }), 'mode-mismatch', /password-and-key/);
    await rp.setSignInMode({ userId: user.id, mode: 'key-only' });
    // Answered as a wrong password, so the answer does not confirm it (point 28); the audit log says password-disabled.
    await expectRefusal(
      rp.signInWithPassword({ email: EMAIL, password: PASSWORD }),
      'password-wrong',
      /the email or password is wrong/,
    );
    expect((await keyAlone(rp, key)).method).toBe('key');
  });

  it('reads files written before modes had names (webauthn_only true: key-only, false: password-and-key) and writes sign_in_mode', async () => {
    const dataDir = await tempDir();
    const { rp } = await openRp(dataDir);
    const alice = await newAccount(rp);
    const bob = await newAccount(rp, 'bob@example.com', 'bob password 123');
    const file = join(dataDir, 'relying-party.json');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { users: Record<string, unknown>[] };
    doc.users.forEach((u, i) => {
      delete u.sign_in_mode;
      u.webauthn_only = i === 1;
    });
    await writeFile(file, JSON.stringify(doc));
    const { rp: reopened } = await openRp(dataDir);
    expect(reopened.account({ id: alice.user.id }).sign_in_mode).toBe('password-and-key');
    expect(reopened.account({ id: bob.user.id })).toMatchObject({ sign_in_mode: 'key-only', webauthn_only: true });
    await reopened.regenerateRecoveryCode({ userId: alice.user.id });
    const written = JSON.parse(await readFile(file, 'utf8')) as { users: Record<string, unknown>[] };
    expect(written.users.map((u) => [u.sign_in_mode, 'webauthn_only' in u])).toEqual([
      ['password-and-key', false],
      ['key-only', false],
    ]);
  });
});

describe('user verification whenever a key alone signs in (point 25)', () => {
  it('asks for UV and refuses an assertion without it under the default "preferred", naming the way out', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await openTestKey({ pin: PIN });
    await registerKey(rp, user.id, key);
    await rp.setSignInMode({ userId: user.id, mode: 'key-only' });
    expect(rp.settings().effective_user_verification.policy).toBe('preferred');
    expect((await rp.startPasswordlessSignIn()).userVerification).toBe('required');
    // A stolen key and one touch: no PIN typed.
    await expectRefusal(
      keyAlone(rp, key, false),
      'user-verification-missing',
      /a key alone signs in only with user verification .* set a PIN on the key/,
    );
    expect((await keyAlone(rp, key)).method).toBe('key');
  });

  it('requires UV for a key alone even under "discouraged", while the policy keeps governing the key after a password', async () => {
    const { rp } = await openRp(await tempDir());
    await rp.updateSettings({ userVerification: 'discouraged' });
    const { user } = await newAccount(rp);
    const key = await openTestKey({ pin: PIN });
    await registerKey(rp, user.id, key, { uv: true });
    expect((await secondFactorOptions(rp)).userVerification).toBe('discouraged');
    await rp.setSignInMode({ userId: user.id, mode: 'password-or-key' });
    expect((await rp.startPasswordlessSignIn({ email: EMAIL })).userVerification).toBe('required');
    await expectRefusal(keyAlone(rp, key, false), 'user-verification-missing');
  });

  it('refuses key-only while no key of the account has verified the user, and allows it once one signed in with a new PIN', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await openTestKey();
    await registerKey(rp, user.id, key);
    await expectRefusal(
      rp.setSignInMode({ userId: user.id, mode: 'key-only' }),
      'lockout',
      /switching alice@example\.com to key-only is refused: .* none of its 1 key\(s\) has verified the user here yet, so no way in would remain\. Set a PIN on one of its keys and sign in once with it/,
    );
    // password-or-key keeps the password as a way in, so it is allowed without such a key.
    await rp.setSignInMode({ userId: user.id, mode: 'password-or-key' });
    await rp.setSignInMode({ userId: user.id, mode: 'password-and-key' });

    await new ClientPin(key.ctap2).setPin(PIN);
    await key.ctap2.getInfo();
    key.pin = PIN;
    await signInWithKey(rp, key);
    expect(rp.listKeys(user.id)[0]!.flags.user_verified).toBe(true);
    expect(await rp.setSignInMode({ userId: user.id, mode: 'key-only' })).toMatchObject({ sign_in_mode: 'key-only' });
  });
});

describe('the policy "required" cannot lock anyone out (point 4)', () => {
  it('refuses "required" while an account signs in with keys that never verified the user', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    await registerKey(rp, user.id, await openTestKey());
    await expectRefusal(
      rp.updateSettings({ userVerification: 'required' }),
      'lockout',
      /setting the user verification policy to "required" is refused: alice@example\.com would sign in with the password and then a key, .* none of its 1 key\(s\) has verified the user here yet/,
    );
    expect(rp.settings().user_verification).toBe('preferred');
    // With a key that verifies the user, or in password-or-key (the password alone is a way in), it is accepted.
    await rp.setSignInMode({ userId: user.id, mode: 'password-or-key' });
    await rp.updateSettings({ userVerification: 'required' });
    expect(rp.settings().user_verification).toBe('required');
  });

  it('ends each refusal the policy causes with the way out: the variable that overrides it', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    await registerKey(rp, user.id, await openTestKey({ pin: PIN }));
    await rp.updateSettings({ userVerification: 'required' });
    const pinless = await openTestKey();
    const options = await rp.startKeyRegistration({ userId: user.id });
    await expectRefusal(
      rp.finishKeyRegistration({ response: await createCredential(pinless, options) }),
      'user-verification-missing',
      /policy is "required" .* set a PIN on the key .* run Latchkey once with WEBAUTHN_USER_VERIFICATION=preferred in the environment/,
    );
    expect(rp.userVerificationWayOut({ keyAlone: false })).toMatch(/WEBAUTHN_USER_VERIFICATION=preferred/);

    const { rp: fromEnv } = await openRp(rp.dataDir, { env: { WEBAUTHN_USER_VERIFICATION: 'required' } });
    expect(fromEnv.userVerificationWayOut({ keyAlone: false })).toMatch(
      /WEBAUTHN_USER_VERIFICATION=required in the environment makes user verification required: .* remove that variable/,
    );
  });
});

describe('recovery needs the password as well as the code (point 24)', () => {
  it('refuses the takeover of a password + key account with the code alone, or with a wrong password', async () => {
    const { rp } = await openRp(await tempDir());
    const { user, recoveryCode } = await newAccount(rp);
    const key = await registerKey(rp, user.id, await openTestKey());
    await expectRefusal(
      rp.startRecovery({ email: EMAIL, recoveryCode } as never),
      'password-wrong',
      /needs the account.s password as well as the recovery code/,
    );
    await expectRefusal(
      rp.startRecovery({ email: EMAIL, password: 'not the password', recoveryCode }),
      'password-wrong',
      /email or password is wrong/,
    );
    expect(rp.listKeys(user.id).map((k) => k.id)).toEqual([key.id]);
    expect(rp.account({ id: user.id }).has_recovery_code).toBe(true);
    // The right password with a wrong code does not do it either.
    await expectRefusal(
      rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA' }),
      'recovery-code-wrong',
    );
    await expect(rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode })).resolves.toHaveProperty(
      'challenge',
    );
  });
});

describe('the signature counter is judged against the file, inside the lock (point 26)', () => {
  it('refuses one of two simultaneous sign-ins by a key and its byte-for-byte clone, and flags the key', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await openTestKey();
    await registerKey(rp, user.id, key);
    await signInWithKey(rp, key);
    const clone = await cloneOf(key);
    const [first, second] = [await secondFactorOptions(rp), await secondFactorOptions(rp)];
    const responses = [await getAssertion(key, first), await getAssertion(clone, second)];
    const results = await Promise.allSettled(responses.map((response) => rp.finishKeySignIn({ response })));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(refused.reason).toMatchObject({ reason: 'clone-warning' });
    const counter = Buffer.from(responses[0]!.response.authenticatorData, 'base64url').readUInt32BE(33);
    expect(Buffer.from(responses[1]!.response.authenticatorData, 'base64url').readUInt32BE(33)).toBe(counter);
    expect(rp.listKeys(user.id)[0]!.authenticator).toMatchObject({ clone_warning: true, sign_count: counter });
  });

  it('never lowers the stored counter when a higher and a lower counter finish at once', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await openTestKey();
    await registerKey(rp, user.id, key);
    const clone = await cloneOf(key);
    const options = [await secondFactorOptions(rp), await secondFactorOptions(rp), await secondFactorOptions(rp)];
    await getAssertion(key, options[0]!);
    const ahead = await getAssertion(key, options[1]!);
    const behind = await getAssertion(clone, options[2]!);
    const aheadCount = Buffer.from(ahead.response.authenticatorData, 'base64url').readUInt32BE(33);
    await Promise.allSettled([rp.finishKeySignIn({ response: ahead }), rp.finishKeySignIn({ response: behind })]);
    expect(rp.listKeys(user.id)[0]!.authenticator.sign_count).toBe(aheadCount);
  });
});

describe('backup eligibility is compared with the registration (point 27)', () => {
  it('refuses a single-device key that later says BE=1, BS=1, audits it, and leaves the record as registered', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const passkey = new SoftPasskey();
    await rp.finishKeyRegistration({ response: passkey.create(await rp.startKeyRegistration({ userId: user.id })) });
    expect(rp.listKeys(user.id)[0]!.flags).toMatchObject({ backup_eligible: false, backup_state: false });
    expect((await rp.finishKeySignIn({ response: passkey.get(await secondFactorOptions(rp)) })).method).toBe(
      'password+key',
    );

    await expectRefusal(
      rp.finishKeySignIn({ response: passkey.get(await secondFactorOptions(rp), { be: true, bs: true }) }),
      'backup-eligibility-changed',
      /registered as single-device \(BE=0\) but now says it is backup eligible \(BE=1/,
    );
    expect(rp.listKeys(user.id)[0]!.flags).toMatchObject({ backup_eligible: false, backup_state: false });
    const last = (await rp.auditLog.read()).at(-1)!;
    expect(last).toMatchObject({ event: 'login-failed', reason: 'backup-eligibility-changed', user_id: user.id });
  });

  it('refuses a backup-eligible key that later says BE=0', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const passkey = new SoftPasskey();
    await rp.finishKeyRegistration({
      response: passkey.create(await rp.startKeyRegistration({ userId: user.id }), { be: true, bs: true }),
    });
    await expectRefusal(
      rp.finishKeySignIn({ response: passkey.get(await secondFactorOptions(rp)) }),
      'backup-eligibility-changed',
      /now says it is single-device/,
    );
    expect(
      (await rp.finishKeySignIn({ response: passkey.get(await secondFactorOptions(rp), { be: true, bs: false }) })).key
        ?.flags.backup_state,
    ).toBe(false);
  });
});

describe('key names (point 12)', () => {
  it('refuses direction overrides and invisible characters, spelling them out in the refusal', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await registerKey(rp, user.id, await openTestKey());
    for (const name of ['abc\u202Egpj.exe', '\u200B', 'Blue\u200Dkey', 'a\u2028b', 'x\u3164', '\u2800']) {
      const refusal = await expectRefusal(
        rp.renameKey({ userId: user.id, credentialId: key.id, displayName: name }),
        'display-name-invalid',
        /invisible or direction-changing characters/,
      );
      for (const invisible of ['\u202E', '\u200B', '\u200D', '\u2028', '\u3164', '\u2800'])
        expect(refusal.message).not.toContain(invisible);
    }
    const rlo = await expectRefusal(
      rp.renameKey({ userId: user.id, credentialId: key.id, displayName: 'abc\u202Egpj.exe' }),
      'display-name-invalid',
    );
    expect(rlo.message).toContain('"abc\\u{202E}gpj.exe"');
    expect(
      (await rp.renameKey({ userId: user.id, credentialId: key.id, displayName: 'Clé bleue ❤️' })).display_name,
    ).toBe('Clé bleue ❤️');
  });

  it('echoes at most 40 characters of a refused name', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await registerKey(rp, user.id, await openTestKey());
    const refusal = await expectRefusal(
      rp.renameKey({ userId: user.id, credentialId: key.id, displayName: 'A'.repeat(5000) }),
      'display-name-invalid',
      /at most 64 characters/,
    );
    expect(refusal.message).toContain(`"${'A'.repeat(40)}..." (5000 characters)`);
    expect(refusal.message.length).toBeLessThan(200);
  });

  it('refuses such names in a new key and in a Kratos import too', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const options = await rp.startKeyRegistration({ userId: user.id });
    await expectRefusal(
      rp.finishKeyRegistration({
        response: await createCredential(await openTestKey(), options),
        displayName: 'abc\u202Egpj.exe',
      }),
      'display-name-invalid',
    );
    const { rp: source } = await openRp(await tempDir());
    const other = await newAccount(source);
    await registerKey(source, other.user.id, await openTestKey());
    const document = await source.exportKratosIdentity({ userId: other.user.id });
    (document.credentials.webauthn.config.credentials[0] as { display_name: string }).display_name = 'key\u200B';
    await expectRefusal(
      rp.importKratosIdentity({ userId: user.id, document }),
      'import-invalid',
      /display_name is not usable: a key name cannot contain invisible/,
    );
  });
});
