// The account commands end to end through main(): a temp data folder, a --virtual-key state file, secrets from LATCHKEY_*.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/index.js';
import { main } from '../../../src/main/cli/main.js';
import { VirtualKeyStateFile } from '../../../src/main/services/virtualKeyStateFile.js';
import { setPin } from '../../ctap/webauthn/support.js';
import { captureCli, runLatchkey, type CapturedCli } from '../../support/cliRun.js';

const EMAIL = 'alice@example.com';
const PASSWORD = 'correct horse battery staple';
const RECOVERY_CODE = /[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5}/g;
const NOTICE = /Demo key without hardware/;
const SECRET_VARIABLES = [
  'LATCHKEY_PASSWORD',
  'LATCHKEY_PIN',
  'LATCHKEY_NEW_PIN',
  'LATCHKEY_RECOVERY_CODE',
  'WEBAUTHN_USER_VERIFICATION',
] as const;
/** The demo key's PIN in the main flow: a key alone signs in only with user verification. */
const FLOW_PIN = '2580';

/** Captured output; `answers` makes it a terminal that types them in turn. */
function capture(answers?: string[]): CapturedCli {
  return captureCli(answers ? { answers } : {});
}

let dir: string;
let saved: Partial<Record<(typeof SECRET_VARIABLES)[number], string>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-account-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  saved = {};
  for (const name of SECRET_VARIABLES) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
  process.env.LATCHKEY_PASSWORD = PASSWORD;
});
afterEach(() => {
  for (const name of SECRET_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** Runs `latchkey --data-dir D --virtual-key K ...args` and returns the exit code with what it printed. */
const latchkey = runLatchkey;

function json(result: { out: string[] }): Record<string, unknown> {
  return JSON.parse(result.out.join('\n')) as Record<string, unknown>;
}

describe('latchkey account commands, second factor then WebAuthn-only, with a virtual key', () => {
  const home = { dataDir: '', key: '' };
  let recoveryCode = '';
  let firstKeyId = '';

  beforeAll(() => {
    home.dataDir = join(dir, 'flow');
    home.key = join(dir, 'flow-key.json');
  });
  beforeEach(() => {
    process.env.LATCHKEY_PIN = FLOW_PIN;
  });

  it('account create shows the recovery code once, says the key is a demo, and refuses the same email twice', async () => {
    const r = await latchkey(home, ['account', 'create', '--email', EMAIL]);
    expect(r.code, r.text()).toBe(0);
    const codes = r.out.join('\n').match(RECOVERY_CODE) ?? [];
    expect(codes).toHaveLength(1);
    recoveryCode = codes[0]!;
    expect(r.out.join('\n')).toMatch(/shown only this once/);
    expect(r.err.join('\n')).toMatch(NOTICE);
    expect(r.text()).not.toContain(PASSWORD);

    const again = await latchkey(home, ['account', 'create', '--email', 'Alice@Example.com']);
    expect(again.code).toBe(3);
    expect(again.err).toEqual([
      expect.stringMatching(NOTICE),
      'latchkey account create: an account for alice@example.com already exists in this data folder',
    ]);
  });

  it('device pin set gives the demo key a PIN, and device pin change changes it', async () => {
    process.env.LATCHKEY_NEW_PIN = '1357';
    const set = await latchkey(home, ['device', 'pin', 'set']);
    expect(set.code, set.text()).toBe(0);
    expect(set.out).toEqual([expect.stringMatching(/^PIN set on virtual .*a key alone signs in only with it\.$/)]);
    const again = await latchkey(home, ['device', 'pin', 'set']);
    expect(again.code).toBe(1);
    expect(again.err.at(-1)).toMatch(/already has a PIN: change it with "latchkey device pin change"/);

    process.env.LATCHKEY_PIN = '1357';
    process.env.LATCHKEY_NEW_PIN = FLOW_PIN;
    const change = await latchkey(home, ['device', 'pin', 'change']);
    expect(change.code, change.text()).toBe(0);
    expect(change.text()).not.toMatch(/1357|2580/);
    const state = JSON.parse(await readFile(home.key, 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(state)).not.toContain(FLOW_PIN);
  });

  it('key add registers the virtual key, saves its state, and --json names the demo key in a field', async () => {
    const r = await latchkey(home, ['key', 'add', '--json']);
    expect(r.code, r.text()).toBe(0);
    const doc = json(r);
    expect(doc).toMatchObject({ version: 1, virtualKey: { state: home.key, notice: expect.stringMatching(NOTICE) } });
    const key = doc.key as { id: string; display_name: string; rp_id: string };
    expect(key).toMatchObject({
      display_name: 'YubiKey 5 Series',
      rp_id: 'latchkey.localhost',
      is_passwordless: false,
      flags: { user_verified: true },
    });
    firstKeyId = key.id;
    expect(JSON.parse(await readFile(home.key, 'utf8'))).toMatchObject({ format: 'latchkey-virtual-authenticator' });
  });

  it('key list --json has the account and the keys as the relying party records them', async () => {
    const r = await latchkey(home, ['key', 'list', '--json']);
    expect(r.code, r.text()).toBe(0);
    const doc = json(r);
    expect(Object.keys(doc)).toEqual(['version', 'virtualKey', 'account', 'keys']);
    expect(doc.account).toMatchObject({
      email: EMAIL,
      sign_in_mode: 'password-and-key',
      webauthn_only: false,
      has_recovery_code: true,
      key_count: 1,
    });
    const keys = doc.keys as Record<string, unknown>[];
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(
      [
        'added_at',
        'attestation_type',
        'authenticator',
        'display_name',
        'flags',
        'hmac_secret',
        'id',
        'is_passwordless',
        'last_used_at',
        'public_key',
        'rp_id',
        'transports',
        'user_handle',
      ].sort(),
    );
    // Signing in for the listing used the key: its counter moved on and was saved, so the next sign-in is no clone.
    expect(keys[0]).toMatchObject({ id: firstKeyId, authenticator: { clone_warning: false } });
  });

  it('login signs in with the password and then the key, and says the key is a demo', async () => {
    const r = await latchkey(home, ['login']);
    expect(r.code, r.text()).toBe(0);
    expect(r.out).toEqual([`Signed in as ${EMAIL} with the password and the key "YubiKey 5 Series".`]);
    expect(r.err.join('\n')).toMatch(NOTICE);
  });

  it('a wrong password is refused with one sentence and exit code 3', async () => {
    process.env.LATCHKEY_PASSWORD = 'not the password';
    const r = await latchkey(home, ['login', '--email', EMAIL]);
    expect(r.code).toBe(3);
    expect(r.err.at(-1)).toBe('latchkey login: the email or password is wrong');
  });

  it('key rename takes the start of an ID and the new name', async () => {
    // `--` because a base64url credential ID may start with a dash.
    const r = await latchkey(home, ['key', 'rename', '--json', '--', firstKeyId.slice(0, 8), 'Blue key']);
    expect(r.code, r.text()).toBe(0);
    expect(json(r)).toMatchObject({ key: { id: firstKeyId, display_name: 'Blue key' } });
  });

  it('key revoke is refused without --yes when nobody can be asked, and when the person at the terminal says no', async () => {
    const refused = await latchkey(home, ['key', 'revoke', '--', firstKeyId]);
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toMatch(/revoking a key is permanent: confirm with --yes/);

    const declined = await latchkey(home, ['key', 'revoke', '--', firstKeyId], capture(['n']));
    expect(declined.code).toBe(1);
    expect(declined.asked).toEqual([expect.stringMatching(/^Revoke "Blue key" .* for good\? .* \[y\/N\] $/)]);
    expect(declined.err.at(-1)).toBe('Not revoked.');
  });

  it('settings set webauthn-only on: login then needs the key alone, no password, no email', async () => {
    const on = await latchkey(home, ['settings', 'set', 'webauthn-only', 'on', '--json']);
    expect(on.code, on.text()).toBe(0);
    expect(json(on)).toMatchObject({ account: { email: EMAIL, webauthn_only: true } });

    delete process.env.LATCHKEY_PASSWORD;
    const r = await latchkey(home, ['login', '--json']);
    expect(r.code, r.text()).toBe(0);
    expect(json(r)).toMatchObject({
      signedIn: {
        method: 'key',
        account: { email: EMAIL },
        key: { id: firstKeyId, display_name: 'Blue key' },
        warnings: [],
      },
    });
  });

  it('the lock-out guard refuses to revoke the last key of a WebAuthn-only account, and says how', async () => {
    const r = await latchkey(home, ['key', 'revoke', '--yes', '--', firstKeyId]);
    expect(r.code).toBe(3);
    expect(r.err.at(-1)).toMatch(
      /^latchkey key revoke: revoking "Blue key" is refused: it is the last key of alice@example.com.*no way in would remain\. Add --turn-off-webauthn-only/,
    );
  });

  it('settings set uv changes the policy and reports where the policy in force comes from', async () => {
    const r = await latchkey(home, ['settings', 'set', 'uv', 'discouraged', '--json']);
    expect(r.code, r.text()).toBe(0);
    expect(json(r)).toMatchObject({
      settings: {
        user_verification: 'discouraged',
        effective_user_verification: { policy: 'discouraged', source: 'settings' },
      },
    });

    process.env.WEBAUTHN_USER_VERIFICATION = 'preferred';
    const human = await latchkey(home, ['settings', 'set', 'uv', 'preferred']);
    expect(human.code, human.text()).toBe(0);
    expect(human.out).toEqual([
      'User verification: preferred.',
      'In force: preferred, from the environment variable WEBAUTHN_USER_VERIFICATION, which overrides the setting.',
    ]);

    const bad = await latchkey(home, ['settings', 'set', 'uv', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toMatch(/uv "sometimes" is not one of required, preferred, discouraged/);
  });

  it('export kratos prints the Ory Kratos identity import document', async () => {
    const r = await latchkey(home, ['export', 'kratos']);
    expect(r.code, r.text()).toBe(0);
    const identity = json(r) as {
      schema_id: string;
      traits: unknown;
      credentials: {
        webauthn: { identifiers: string[]; config: { user_handle: string; credentials: Record<string, unknown>[] } };
      };
    };
    expect(identity).toMatchObject({
      schema_id: 'preset://email',
      traits: { email: EMAIL },
      credentials: { webauthn: { identifiers: [EMAIL] } },
    });
    const [credential] = identity.credentials.webauthn.config.credentials;
    expect(credential).toMatchObject({
      id: Buffer.from(firstKeyId, 'base64url').toString('base64'),
      display_name: 'Blue key',
      transport: ['nfc', 'usb'],
    });
    expect(Object.keys(credential!).sort()).toEqual(
      [
        'added_at',
        'attestation_type',
        'authenticator',
        'display_name',
        'flags',
        'id',
        'is_passwordless',
        'public_key',
        'transport',
      ].sort(),
    );

    const wrapped = await latchkey(home, ['export', 'kratos', '--json']);
    expect(json(wrapped)).toMatchObject({
      version: 1,
      virtualKey: { state: home.key },
      identity: { schema_id: 'preset://email' },
    });
  });

  it('recovery use with a new key registers it, revokes the others and prints the new recovery code once', async () => {
    process.env.LATCHKEY_RECOVERY_CODE = recoveryCode.toLowerCase();
    const lost = { dataDir: home.dataDir, key: join(dir, 'flow-new-key.json') };
    const r = await latchkey(lost, ['recovery', 'use', '--name', 'New key', '--json']);
    expect(r.code, r.text()).toBe(0);
    const doc = json(r) as {
      key: { id: string; display_name: string };
      revoked: { id: string; reason: string }[];
      recoveryCode: string;
      account: { webauthn_only: boolean };
    };
    expect(doc.key.display_name).toBe('New key');
    expect(doc.key.id).not.toBe(firstKeyId);
    expect(doc.revoked).toEqual([expect.objectContaining({ id: firstKeyId, reason: 'recovery' })]);
    expect(doc.recoveryCode).toMatch(RECOVERY_CODE);
    expect(doc.recoveryCode).not.toBe(recoveryCode);
    expect(r.out.join('\n').match(RECOVERY_CODE)).toEqual([doc.recoveryCode]);

    // The recovery leaves key-only: the password, then the new key, sign in; the old key is gone.
    expect(doc.account).toMatchObject({ sign_in_mode: 'password-and-key', webauthn_only: false });
    const list = await latchkey(lost, ['key', 'list', '--json']);
    expect(list.code, list.text()).toBe(0);
    expect((json(list).keys as { id: string }[]).map((k) => k.id)).toEqual([doc.key.id]);
    const old = await latchkey(home, ['login']);
    expect(old.code).toBe(3);
    expect(old.err.at(-1)).toBe(
      'latchkey login: This key is not registered to alice@example.com: use one that is, or "latchkey recovery use" if they are lost.',
    );

    const spent = await latchkey(lost, ['recovery', 'use']);
    expect(spent.code).toBe(3);
    expect(spent.err.at(-1)).toBe('latchkey recovery use: the email or recovery code is wrong');
  });

  it('key revoke at a terminal: yes, and the last key of a password-and-key account goes without more questions', async () => {
    const lost = { dataDir: home.dataDir, key: join(dir, 'flow-new-key.json') };
    const list = json(await latchkey(lost, ['key', 'list', '--json'])) as { keys: { id: string }[] };
    const c = capture(['y']);
    const r = await latchkey(lost, ['key', 'revoke', '--json', '--', list.keys[0]!.id], c);
    expect(r.code, r.text()).toBe(0);
    expect(c.asked).toEqual([expect.stringMatching(/^Revoke "New key"/)]);
    expect(json(r)).toMatchObject({
      revoked: { display_name: 'New key', reason: 'revoked' },
      webAuthnOnlyTurnedOff: false,
    });

    // Back to the password alone: the account has no key left.
    const login = await latchkey(lost, ['login']);
    expect(login.out).toEqual([
      `Signed in as ${EMAIL} with the password alone (the account has no usable security key).`,
    ]);
  });
});

describe('latchkey account commands, secrets and errors', () => {
  it('asks for a PIN-protected virtual key\u2019s PIN through LATCHKEY_PIN, and names a wrong one', async () => {
    const home = { dataDir: join(dir, 'pin'), key: join(dir, 'pin-key.json') };
    const key = new VirtualAuthenticator();
    await setPin(key, '4711');
    await new VirtualKeyStateFile(home.key, key).saveIfChanged();
    expect((await latchkey(home, ['account', 'create', '--email', EMAIL])).code).toBe(0);

    const noPin = await latchkey(home, ['key', 'add']);
    expect(noPin.code).toBe(2);
    expect(noPin.err.join('\n')).toMatch(/the security key’s PIN is needed: set LATCHKEY_PIN/);

    process.env.LATCHKEY_PIN = '0000';
    const wrong = await latchkey(home, ['key', 'add']);
    expect(wrong.code).toBe(1);
    expect(wrong.err.at(-1)).toBe('latchkey key add: LATCHKEY_PIN holds a wrong PIN for this key (7 attempts left).');

    process.env.LATCHKEY_PIN = '4711';
    const r = await latchkey(home, ['key', 'add', '--json']);
    expect(r.code, r.text()).toBe(0);
    expect(json(r)).toMatchObject({ key: { flags: { user_verified: true } } });
    expect(r.text()).not.toContain('4711');
  });

  it('types the password at a terminal (twice for a new account) when LATCHKEY_PASSWORD is not set', async () => {
    delete process.env.LATCHKEY_PASSWORD;
    const home = { dataDir: join(dir, 'tty'), key: join(dir, 'tty-key.json') };
    const typo = await latchkey(home, ['account', 'create', '--email', EMAIL], capture([PASSWORD, `${PASSWORD}!`]));
    expect(typo.code).toBe(2);
    expect(typo.err.join('\n')).toMatch(/the two passwords differ; nothing was created/);

    const c = capture([PASSWORD, PASSWORD]);
    expect((await latchkey(home, ['account', 'create', '--email', EMAIL], c)).code).toBe(0);
    expect(c.asked).toEqual([`New password for ${EMAIL}: `, 'The same password again: ']);

    const script = await latchkey(home, ['login']);
    expect(script.code).toBe(2);
    expect(script.err.join('\n')).toMatch(/the password is needed: set LATCHKEY_PASSWORD/);

    // The lock-out guard: WebAuthn-only needs a key first.
    process.env.LATCHKEY_PASSWORD = PASSWORD;
    const lockout = await latchkey(home, ['settings', 'set', 'webauthn-only', 'on']);
    expect(lockout.code).toBe(3);
    expect(lockout.err.at(-1)).toBe(
      'latchkey settings set: switching alice@example.com to key-only is refused: alice@example.com would sign in with a security key only, but it would have no security key, so no way in would remain. Register a security key for latchkey.localhost that has a PIN or fingerprint first.',
    );
  });

  it('takes the global options after the command too, and names the subcommands of a group', async () => {
    const home = { dataDir: join(dir, 'globals'), key: join(dir, 'globals-key.json') };
    const c = capture();
    expect(
      await main(
        ['account', 'create', '--email', EMAIL, '--data-dir', home.dataDir, '--virtual-key', home.key, '--json'],
        c.io,
      ),
    ).toBe(0);
    expect(json(c)).toMatchObject({ account: { email: EMAIL }, virtualKey: { state: home.key } });

    const help = capture();
    expect(await main(['help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toMatch(
      /account create +create an account[\s\S]*key revoke +revoke[\s\S]*--data-dir DIR\] \[--virtual-key STATE\]/,
    );

    const group = capture();
    expect(await main(['key', 'frobnicate'], group.io)).toBe(2);
    expect(group.err).toEqual([
      'latchkey: "key" has no subcommand "frobnicate": add, list, rename, revoke. Run "latchkey help" for the list.',
    ]);
    const missing = capture();
    expect(await main(['--data-dir'], missing.io)).toBe(2);
    expect(missing.err).toEqual(['latchkey: --data-dir needs a value: --data-dir DIR']);
  });

  it('a damaged data folder exits with code 4 and the way to restore it; no account is exit 3', async () => {
    const empty = { dataDir: join(dir, 'empty'), key: join(dir, 'empty-key.json') };
    const none = await latchkey(empty, ['login']);
    expect(none.code).toBe(3);
    expect(none.err.at(-1)).toMatch(
      /there is no account in .* yet: create one with "latchkey account create --email E"/,
    );

    const damaged = { dataDir: join(dir, 'damaged'), key: join(dir, 'damaged-key.json') };
    await mkdir(damaged.dataDir, { recursive: true });
    await writeFile(join(damaged.dataDir, 'relying-party.json'), '{ not json');
    const r = await latchkey(damaged, ['key', 'list']);
    expect(r.code).toBe(4);
    expect(r.err.at(-1)).toMatch(/relying-party\.json cannot be loaded: .*Latchkey has not changed it/);
  });
});
