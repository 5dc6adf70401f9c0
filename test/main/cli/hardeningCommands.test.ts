// Issue #9 through the command line: an unwritable audit log, an unknown email at login, and `latchkey restore`.

import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureCli, runLatchkey, type CapturedCli } from '../../support/cliRun.js';

const EMAIL = 'v@example.com';
const PASSWORD = 'correct horse battery staple';
const RECOVERY_CODE = /[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5}/;

function capture(answers?: string[]): CapturedCli {
  return captureCli(answers ? { answers } : {});
}

let dir: string;
let savedPassword: string | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-hardening-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  savedPassword = process.env.LATCHKEY_PASSWORD;
  process.env.LATCHKEY_PASSWORD = PASSWORD;
});
afterEach(() => {
  if (savedPassword === undefined) delete process.env.LATCHKEY_PASSWORD;
  else process.env.LATCHKEY_PASSWORD = savedPassword;
});

function latchkey(dataDir: string, args: string[], c = capture()) {
  return runLatchkey({ dataDir, key: join(dataDir, '..', `${dataDir.split('/').at(-1)}-key.json`) }, args, c);
}

describe('account create with an audit log that cannot be written (issue #9 point 2)', () => {
  it('shows the recovery code, exits 0, and warns that the event was not logged', async () => {
    const dataDir = join(dir, 'audit');
    await mkdir(join(dataDir, 'audit.jsonl'), { recursive: true });
    const r = await latchkey(dataDir, ['account', 'create', '--email', EMAIL]);
    expect(r.code, r.text()).toBe(0);
    expect(r.out.join('\n')).toMatch(RECOVERY_CODE);
    expect(r.err).toContainEqual(
      expect.stringMatching(
        /^Warning: the account-created event could not be written to the audit log \(.*\); the operation itself went ahead\.$/,
      ),
    );
  });
});

describe('login with an unknown email (issue #9 point 5)', () => {
  it('asks for the password first and answers as for a wrong one', async () => {
    const dataDir = join(dir, 'unknown');
    expect((await latchkey(dataDir, ['account', 'create', '--email', EMAIL])).code).toBe(0);
    delete process.env.LATCHKEY_PASSWORD;
    const unknown = await latchkey(dataDir, ['login', '--email', 'nobody@example.com'], capture(['some password']));
    const wrong = await latchkey(dataDir, ['login', '--email', EMAIL], capture(['some password']));
    expect(unknown.asked).toEqual(['Password for nobody@example.com: ']);
    expect(unknown.code).toBe(3);
    expect(unknown.err.at(-1)).toBe('latchkey login: the email or password is wrong');
    expect(wrong.code).toBe(unknown.code);
    expect(wrong.err.at(-1)).toBe(unknown.err.at(-1));
  });
});

describe('latchkey restore (issue #9 point 3)', () => {
  it('lists the backups with their age, content and the changes since, and restores one after --yes', async () => {
    const dataDir = join(dir, 'restore');
    const file = join(dataDir, 'relying-party.json');
    expect((await latchkey(dataDir, ['account', 'create', '--email', EMAIL])).code).toBe(0);
    // The sign-in rewrites the file, so the account-holding version becomes bak-1; a second account comes after it.
    expect((await latchkey(dataDir, ['login'])).code).toBe(0);
    expect((await latchkey(dataDir, ['account', 'create', '--email', 'w@example.com'])).code).toBe(0);
    await writeFile(file, 'root:x:0:0:root:/root:/bin/bash\n');

    const refused = await latchkey(dataDir, ['login', '--email', EMAIL]);
    expect(refused.code).toBe(4);
    expect(refused.err.at(-1)).toMatch(
      /it is not valid JSON .*The newest backup that loads, relying-party\.json\.bak-1, was saved .* ago\): restoring it loses every change made since then\. To restore: run "latchkey restore"/,
    );
    expect(refused.err.at(-1)).not.toContain('root:x');

    const listing = await latchkey(dataDir, ['restore']);
    expect(listing.code, listing.text()).toBe(0);
    expect(listing.out[0]).toMatch(/relying-party\.json cannot be loaded: it is not valid JSON/);
    expect(listing.out[1]).toBe('Backups, newest first:');
    expect(listing.out[2]).toMatch(
      /^ {2}1 {2}saved \d{4}-\d\d-\d\dT[\d:.]+Z \((less than a second|\d+ seconds?) ago\): 1 account\(s\), 0 key\(s\); restoring it undoes 1 account-created recorded since$/,
    );

    const unconfirmed = await latchkey(dataDir, ['restore', '1']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err.join('\n')).toMatch(/confirm with --yes/);
    const missing = await latchkey(dataDir, ['restore', '7', '--yes']);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toMatch(/there is no backup "7"; the backups are numbered 1/);

    const restored = await latchkey(dataDir, ['restore', '1', '--yes']);
    expect(restored.code, restored.text()).toBe(0);
    expect(restored.out[0]).toMatch(
      /^Restored .*relying-party\.json\.bak-1: .*relying-party\.json now holds 1 account\(s\), 0 key\(s\)\. The file it replaced is kept as .*relying-party\.json\.replaced-/,
    );
    const aside = (await readdir(dataDir)).find((f) => f.startsWith('relying-party.json.replaced-'))!;
    expect(await readFile(join(dataDir, aside), 'utf8')).toBe('root:x:0:0:root:/root:/bin/bash\n');
    expect((await latchkey(dataDir, ['login', '--email', EMAIL])).code).toBe(0);
  });

  it('asks at a terminal before restoring, and keeps the file when the answer is no', async () => {
    const dataDir = join(dir, 'restore-ask');
    expect((await latchkey(dataDir, ['account', 'create', '--email', EMAIL])).code).toBe(0);
    expect((await latchkey(dataDir, ['login'])).code).toBe(0);
    const before = await readFile(join(dataDir, 'relying-party.json'), 'utf8');
    const declined = await latchkey(dataDir, ['restore', '1'], capture(['n']));
    expect(declined.code).toBe(1);
    expect(declined.asked).toEqual(['Restore backup 1? Quit the Latchkey app first. [y/N] ']);
    expect(declined.err.at(-1)).toBe('Not restored.');
    expect(await readFile(join(dataDir, 'relying-party.json'), 'utf8')).toBe(before);
  });
});
