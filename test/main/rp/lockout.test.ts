// The lock-out guard: mode switches, revocations and RP ID changes that would leave no way in are refused, with the remedy.

import { describe, expect, it } from 'vitest';
import { openTestKey } from '../../support/webauthnResponses.js';
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

describe('lock-out guard', () => {
  it('refuses WebAuthn-only for an account without a key, then allows it once a key exists', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    await expectRefusal(
      rp.setWebAuthnOnly({ userId: user.id, enabled: true }),
      'lockout',
      /switching alice@example\.com to key-only is refused: .* it would have no security key, so no way in would remain\. Register a security key for latchkey\.localhost that has a PIN or fingerprint first/,
    );
    expect(rp.account({ id: user.id }).webauthn_only).toBe(false);
    await registerKey(rp, user.id, await openTestKey({ pin: '1234' }));
    expect((await rp.setWebAuthnOnly({ userId: user.id, enabled: true })).webauthn_only).toBe(true);
    // Back to password + key is always possible: the password is mandatory.
    expect((await rp.setWebAuthnOnly({ userId: user.id, enabled: false })).webauthn_only).toBe(false);
  });

  it('revokes only with explicit confirmation, and lets a second-factor account fall back to its password', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await openTestKey();
    const credential = await registerKey(rp, user.id, key);
    await expectRefusal(
      rp.revokeKey({ userId: user.id, credentialId: credential.id, confirm: false }),
      'confirmation-required',
      /permanent/,
    );
    const { revoked, webAuthnOnlyTurnedOff } = await rp.revokeKey({
      userId: user.id,
      credentialId: credential.id,
      confirm: true,
    });
    expect(revoked).toMatchObject({ id: credential.id, reason: 'revoked' });
    expect(webAuthnOnlyTurnedOff).toBe(false);
    expect(rp.listKeys(user.id)).toEqual([]);
    await expectRefusal(
      rp.revokeKey({ userId: user.id, credentialId: credential.id, confirm: true }),
      'credential-revoked',
      /already revoked/,
    );
    expect(await rp.signInWithPassword({ email: EMAIL, password: PASSWORD })).toMatchObject({
      status: 'signed-in',
      signedIn: { method: 'password' },
    });
  });

  it('refuses to revoke the last key of a WebAuthn-only account unless WebAuthn-only is turned off with it', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const keep = await registerKey(rp, user.id, await openTestKey({ pin: '1234' }));
    const spare = await registerKey(rp, user.id, await openTestKey({ pin: '1234' }));
    await rp.setWebAuthnOnly({ userId: user.id, enabled: true });
    await rp.revokeKey({ userId: user.id, credentialId: spare.id, confirm: true });

    await expectRefusal(
      rp.revokeKey({ userId: user.id, credentialId: keep.id, confirm: true }),
      'lockout',
      /revoking "YubiKey 5 Series" is refused: .* no way in would remain\. Confirm turning WebAuthn-only off \(turnOffWebAuthnOnly: true\)/,
    );
    expect(rp.listKeys(user.id).map((c) => c.id)).toEqual([keep.id]);

    const result = await rp.revokeKey({
      userId: user.id,
      credentialId: keep.id,
      confirm: true,
      turnOffWebAuthnOnly: true,
    });
    expect(result.webAuthnOnlyTurnedOff).toBe(true);
    expect(rp.account({ id: user.id })).toMatchObject({ webauthn_only: false, key_count: 0 });
    expect(await rp.signInWithPassword({ email: EMAIL, password: PASSWORD })).toMatchObject({ status: 'signed-in' });
    const events = (await rp.auditLog.read()).map((r) => `${r.event}:${r.reason ?? ''}`);
    expect(events).toContain('mode-changed:last-key-revoked');
  });

  it('asks before an RP ID change orphans keys, refuses one that strands a WebAuthn-only account, and warns at sign-in', async () => {
    const { rp } = await openRp(await tempDir());
    const alice = await newAccount(rp);
    const bob = await newAccount(rp, 'bob@example.com', 'bob password 123');
    const aliceKey = await openTestKey();
    await registerKey(rp, alice.user.id, aliceKey);
    await registerKey(rp, bob.user.id, await openTestKey({ pin: '1234' }));
    await rp.setWebAuthnOnly({ userId: bob.user.id, enabled: true });

    expect(rp.orphanedCredentials()).toEqual([]);
    expect(rp.orphanedCredentials({ rpId: 'keys.example.org' }).map((c) => c.email)).toEqual([
      EMAIL,
      'bob@example.com',
    ]);
    const change = { rpId: 'keys.example.org', origin: 'https://keys.example.org' };
    await expectRefusal(
      rp.updateSettings({ ...change, confirmOrphaning: true }),
      'lockout',
      /bob@example\.com would sign in with a security key only, but its 1 key\(s\) are bound to another RP ID than keys\.example\.org/,
    );
    await rp.setWebAuthnOnly({ userId: bob.user.id, enabled: false });
    await expectRefusal(rp.updateSettings(change), 'confirmation-required', /orphans 2 registered key\(s\)/);
    expect(rp.settings().rp_id).toBe('latchkey.localhost');

    await rp.updateSettings({ ...change, confirmOrphaning: true });
    expect(rp.orphanedCredentials()).toHaveLength(2);
    const step = await rp.signInWithPassword({ email: EMAIL, password: PASSWORD });
    expect(step).toMatchObject({
      status: 'signed-in',
      signedIn: { method: 'password', warnings: [{ code: 'keys-orphaned' }] },
    });
    await expectRefusal(
      rp.setWebAuthnOnly({ userId: alice.user.id, enabled: true }),
      'lockout',
      /bound to another RP ID/,
    );

    // Setting the RP ID back revives the keys.
    await rp.updateSettings({ rpId: 'latchkey.localhost', origin: 'https://latchkey.localhost' });
    expect((await signInWithKey(rp, aliceKey)).method).toBe('password+key');
  });

  it('refuses settings that no browser or key would accept, naming them', async () => {
    const { rp } = await openRp(await tempDir());
    await expectRefusal(
      rp.updateSettings({ origin: 'https://evil.example' }),
      'settings-invalid',
      /rp_origin "https:\/\/evil\.example" is refused: the origin's host evil\.example is not latchkey\.localhost or a subdomain/,
    );
    await expectRefusal(
      rp.updateSettings({ rpId: 'Not A Domain' }),
      'settings-invalid',
      /rp_id "Not A Domain" is refused/,
    );
    await expectRefusal(
      rp.updateSettings({ origin: 'http://latchkey.example' }),
      'settings-invalid',
      /https:\/\/host\[:port\] with no path \(http only for localhost\)/,
    );
  });
});
