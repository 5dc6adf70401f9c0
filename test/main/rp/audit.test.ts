// The audit log: every security event of an account's life, as JSON lines, and none of its secrets.

import { appendFile, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeRecoveryCode } from '../../../src/main/rp/recovery/recoveryCode.js';
import { AuditLog } from '../../../src/main/audit/AuditLog.js';
import { RP_AUDIT_FIELDS, type RpAuditEvent } from '../../../src/main/rp/rpAuditEvents.js';
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
const PIN = '8642';

describe('audit log', () => {
  it('records every security event and no password, recovery code, PIN, challenge or key material', async () => {
    const dataDir = await tempDir();
    const { rp } = await openRp(dataDir);
    const challenges: string[] = [];
    const { user, recoveryCode } = await newAccount(rp);
    const key = await openTestKey({ pin: PIN });
    const options = await rp.startKeyRegistration({ userId: user.id });
    challenges.push(options.challenge);
    const first = await rp.finishKeyRegistration({ response: await createCredential(key, options) });
    const spare = await registerKey(rp, user.id, await openTestKey());
    await rp.renameKey({ userId: user.id, credentialId: first.id, displayName: 'Main key' });
    await expectRefusal(rp.signInWithPassword({ email: EMAIL, password: `${PASSWORD}!` }), 'password-wrong');
    const step = await rp.signInWithPassword({ email: EMAIL, password: PASSWORD });
    if (step.status !== 'key-required') throw new Error('expected the key step');
    challenges.push(step.options.challenge);
    await rp.finishKeySignIn({ response: await getAssertion(key, step.options) });
    key.authenticator.rollbackSignCounter(1);
    await expectRefusal(signInWithKey(rp, key), 'clone-warning');
    await rp.revokeKey({ userId: user.id, credentialId: spare.id, confirm: true });
    await rp.setWebAuthnOnly({ userId: user.id, enabled: true });
    await rp.setWebAuthnOnly({ userId: user.id, enabled: false });
    await rp.updateSettings({ displayName: 'Latchkey at home', userVerification: 'required' });
    await expectRefusal(
      rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ' }),
      'recovery-code-wrong',
    );
    const recovery = await rp.startRecovery({ email: EMAIL, password: PASSWORD, recoveryCode });
    challenges.push(recovery.challenge);
    const { recoveryCode: nextCode } = await rp.finishRecovery({
      response: await createCredential(await openTestKey({ pin: PIN }), recovery),
    });
    const regenerated = await rp.regenerateRecoveryCode({ userId: user.id });
    const document = await rp.exportKratosIdentity({ userId: user.id });
    const other = await openRp(await tempDir());
    const twin = await newAccount(other.rp);
    await other.rp.importKratosIdentity({ userId: twin.user.id, document });

    const records = await rp.auditLog.read();
    expect(records.every((r) => r.v === 1 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.at))).toBe(true);
    const events = records.map((r) => `${r.event}/${r.outcome}${r.reason ? `/${r.reason}` : ''}`);
    expect(events).toEqual([
      'account-created/success',
      'key-registered/success',
      'key-registered/success',
      'key-renamed/success',
      'login-failed/failure/password-wrong',
      'login/success',
      'clone-warning/failure/counter-regressed',
      'login-failed/failure/clone-warning',
      'key-revoked/success/revoked',
      'mode-changed/success',
      'mode-changed/success',
      'settings-changed/success',
      'settings-changed/success',
      'recovery-failed/failure/recovery-code-wrong',
      'key-revoked/success/recovery',
      'key-registered/success',
      'account-recovered/success',
      'recovery-code-regenerated/success',
      'keys-exported/success',
    ]);
    expect(records.find((r) => r.event === 'key-renamed')).toMatchObject({
      credential_id: first.id,
      from: 'YubiKey 5 Series',
      to: 'Main key',
    });
    expect(records.find((r) => r.event === 'login')).toMatchObject({
      method: 'password+key',
      display_name: 'Main key',
      email: EMAIL,
    });
    expect(records.filter((r) => r.event === 'settings-changed').map((r) => [r.setting, r.from, r.to])).toEqual([
      ['rp_display_name', 'Latchkey', 'Latchkey at home'],
      ['user_verification', 'preferred', 'required'],
    ]);
    expect((await other.rp.auditLog.read()).map((r) => r.event)).toEqual(['account-created', 'keys-imported']);

    const text = await readFile(join(dataDir, 'audit.jsonl'), 'utf8');
    const stored = JSON.parse(await readFile(join(dataDir, 'relying-party.json'), 'utf8')) as {
      users: { password: { salt: string; hash: string } }[];
    };
    const secrets = [
      PASSWORD,
      `${PASSWORD}!`,
      PIN,
      ...[recoveryCode, nextCode, regenerated].flatMap((c) => [c, normalizeRecoveryCode(c), c.toLowerCase()]),
      ...challenges,
      ...document.credentials.webauthn.config.credentials.map((c) => c.public_key),
      first.public_key,
      stored.users[0]!.password.salt,
      stored.users[0]!.password.hash,
    ];
    for (const secret of secrets) expect(text, `the audit log contains ${secret}`).not.toContain(secret);
  });

  it('rotates at maxBytes, keeps `keep` older logs, drops the oldest beyond them, and reads them all in order', async () => {
    const dir = await tempDir();
    const log = new AuditLog<RpAuditEvent>({
      file: join(dir, 'audit.jsonl'),
      fields: RP_AUDIT_FIELDS,
      maxBytes: 400,
      keep: 2,
    });
    for (let i = 0; i < 20; i++) await log.record({ event: 'login', outcome: 'success', count: i });
    expect((await readdir(dir)).sort()).toEqual(['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2']);
    const counts = (await log.read()).map((r) => r.count);
    // Oldest first, no gaps, and the first ones are gone: three files of at most ~400 bytes hold the latest events.
    expect(counts).toEqual(Array.from({ length: counts.length }, (_, i) => 20 - counts.length + i));
    expect(counts.length).toBeGreaterThan(6);
    expect(counts.length).toBeLessThan(20);
    for (const file of log.files) expect((await readFile(file, 'utf8').catch(() => '')).length).toBeLessThan(400 + 120);
  });

  it('an event after a torn last line (a crash mid-append) starts a line of its own and is kept', async () => {
    const dir = await tempDir();
    const log = new AuditLog<RpAuditEvent>({ file: join(dir, 'audit.jsonl'), fields: RP_AUDIT_FIELDS });
    await log.record({ event: 'login', outcome: 'success', count: 1 });
    await appendFile(join(dir, 'audit.jsonl'), '{"v":1,"at":"2025-03-01T09:00:00.000Z","event":"log');
    await log.record({ event: 'login', outcome: 'success', count: 2 });
    expect((await log.read()).map((r) => r.count)).toEqual([1, 2]);
  });
});
