// The command-line defects of issue #9, each through main() as a user meets it.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure, main } from '../../../src/main/cli/main.js';
import { withVirtualKeyLock } from '../../../src/main/services/index.js';
import { captureCli, runLatchkey, type CapturedCli } from '../../support/cliRun.js';

const PASSWORD = 'correct horse battery staple';

function capture(env: Record<string, string | undefined> = { LATCHKEY_PASSWORD: PASSWORD }): CapturedCli {
  return captureCli({ env });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-issue9-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(where: { dataDir: string; key: string }, args: string[], c = capture()) {
  return runLatchkey(where, args, c);
}

function home(name: string) {
  return { dataDir: join(dir, name, 'data'), key: join(dir, name, 'key.json') };
}

describe('issue #9: system errors are one sentence saying what to do (7)', () => {
  it('explains EACCES on a lock file, ENOSPC, EISDIR and ENOTDIR without the raw system text', () => {
    const errno = (code: string, path: string) =>
      Object.assign(new Error(`${code}: raw, open '${path}'`), { code, path });
    const cases: [string, string, RegExp][] = [
      [
        'EACCES',
        '/ro/relying-party.json.lock',
        /^Latchkey may not write \/ro\/relying-party\.json\.lock \(permission denied\): make its folder writable/,
      ],
      [
        'ENOSPC',
        '/full/relying-party.json.tmp',
        /^The disk holding \/full\/relying-party\.json\.tmp is full: free some space/,
      ],
      ['EISDIR', '/tmp', /^\/tmp is a folder, where a file was expected/],
      ['ENOTDIR', '/etc/hostname/relying-party.json', /goes through a file as if it were a folder/],
    ];
    for (const [code, path, message] of cases) {
      const failure = describeFailure(errno(code, path));
      expect(failure.exitCode, code).toBe(1);
      expect(failure.message, code).toMatch(message);
      expect(failure.message, code).not.toMatch(/raw|EACCES|ENOSPC|EISDIR|ENOTDIR/);
    }
  });

  it('--virtual-key naming a folder, and --data-dir naming a file, are explained', async () => {
    await mkdir(join(dir, 'sys'), { recursive: true });
    const folderKey = await run({ dataDir: join(dir, 'sys', 'data'), key: dir }, [
      'account',
      'create',
      '--email',
      'a@example.com',
    ]);
    expect(folderKey.code).toBe(0);
    const login = await run({ dataDir: join(dir, 'sys', 'data'), key: dir }, ['key', 'add']);
    expect(login.code).toBe(2);
    expect(login.err.at(-1)).toMatch(
      /^latchkey key add: .* is a folder, not a virtual key's state file: give a file in it, such as .*\/key\.json\.$/,
    );

    const file = join(dir, 'sys', 'hostname');
    await writeFile(file, 'not a folder');
    const r = await run({ dataDir: file, key: join(dir, 'sys', 'k.json') }, ['login']);
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toMatch(/^latchkey login: .*hostname.* goes through a file as if it were a folder/);
    expect(r.err.join('\n')).not.toMatch(/ENOTDIR/);
  });
});

describe('issue #9: several accounts in second-factor mode (8)', () => {
  it('login without --email says that several accounts exist and --email picks one', async () => {
    const h = home('two');
    expect((await run(h, ['account', 'create', '--email', 'a@example.com'])).code).toBe(0);
    expect((await run(h, ['account', 'create', '--email', 'b@example.com'])).code).toBe(0);
    const r = await run(h, ['login']);
    expect(r.code).toBe(2);
    expect(r.err.at(-1)).toMatch(/^latchkey login: there are 2 accounts in .*: name yours with --email E$/);
    expect(r.text()).not.toMatch(/not registered/);
  });
});

describe('issue #9: exit codes as docs/cli.md documents them (9)', () => {
  it('0 done, 1 failed, 2 bad value (a malformed email), 3 refused (a key the account does not know), 4 damaged', async () => {
    const h = home('codes');
    expect((await run(h, ['account', 'create', '--email', 'alice@example.com'])).code).toBe(0);
    expect((await run(h, ['key', 'add'])).code).toBe(0);

    const badEmail = await run(h, ['account', 'create', '--email', 'not-an-email']);
    expect(badEmail.code).toBe(2);

    const stranger = await run({ dataDir: h.dataDir, key: join(dir, 'codes', 'other-key.json') }, ['login']);
    expect(stranger.code).toBe(3);
    expect(stranger.err.at(-1)).toBe(
      'latchkey login: This key is not registered to alice@example.com: use one that is, or "latchkey recovery use" if they are lost.',
    );

    const busy = join(dir, 'codes', 'busy.json');
    const held = await withVirtualKeyLock(busy, async () =>
      run({ dataDir: h.dataDir, key: busy }, ['virtual-card', '--state', busy, '--port', '1']),
    );
    expect(held.code).toBe(1);

    await mkdir(join(dir, 'codes', 'damaged'), { recursive: true });
    await writeFile(join(dir, 'codes', 'damaged', 'relying-party.json'), '{');
    expect((await run({ dataDir: join(dir, 'codes', 'damaged'), key: h.key }, ['login'])).code).toBe(4);
  });
});

describe('issue #9: command-line wording (10, 15, 16)', () => {
  it('a credential-ID prefix of 3 characters is refused as too short, saying 4 are needed', async () => {
    const h = home('prefix');
    expect((await run(h, ['account', 'create', '--email', 'alice@example.com'])).code).toBe(0);
    const added = await run(h, ['key', 'add', '--json']);
    const id = (JSON.parse(added.out.join('\n')) as { key: { id: string } }).key.id;
    const r = await run(h, ['key', 'rename', '--', id.slice(0, 3), 'Blue']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(
      new RegExp(
        `"${id.slice(0, 3).replace(/[-]/g, '\\-')}" is too short to name a key: .*at least its first 4 characters`,
      ),
    );
  });

  it('group help, a bare latchkey and a missing option value', async () => {
    const group = capture();
    expect(await main(['key', '--help'], group.io)).toBe(0);
    expect(group.out.join('\n')).toMatch(/key add[\s\S]*Usage: latchkey key add[\s\S]*key revoke/);
    expect(group.err).toEqual([]);

    const bare = capture();
    expect(await main([], bare.io)).toBe(2);
    expect(bare.err.join('\n')).toMatch(/^Usage: latchkey/);

    const value = capture();
    expect(await main(['login', '--email', '--json'], value.io)).toBe(2);
    expect(value.err[0]!.split('\n')[0]).toBe(
      'latchkey login: --email needs a value, and the next word is another option (a value that starts with a dash is written --email=-value)',
    );
    expect(value.err[0]).toMatch(/^[^\n]*\nUsage: latchkey login/);
  });

  it('virtual-card --port takes decimal digits only', async () => {
    for (const port of ['0x8C7B', ' 1e3', '1e3', '+80', '35963.0']) {
      const c = capture();
      expect(await main(['virtual-card', '--state', join(dir, 'p.json'), '--port', port], c.io), port).toBe(2);
      expect(c.err.join('\n')).toMatch(/is not a TCP port number/);
    }
  });
});

describe('issue #9: one virtual key, one process at a time (17)', () => {
  it('a second virtual-card on the same state file is refused, saying the file is in use', async () => {
    const state = join(dir, 'card.json');
    const c = capture();
    const code = await withVirtualKeyLock(state, () => main(['virtual-card', '--state', state, '--port', '1'], c.io));
    expect(code).toBe(1);
    expect(c.err.at(-1)).toMatch(
      new RegExp(
        `^latchkey virtual-card: The virtual key .*card\\.json is in use by process ${process.pid} on .*: stop that one first, or use another state file\\.$`,
      ),
    );
    expect(c.out).toEqual([]);
  });

  // Each registration is two uses of the key: makeCredential, then getAssertion for its vault slot's hmac-secret (a
  // CTAP 2.1 key gives none at creation), so ten counter increments, none lost.
  it('five registrations at once with one --virtual-key take turns: none of the counter increments is lost', async () => {
    const key = join(dir, 'shared.json');
    const homes = [0, 1, 2, 3, 4].map((n) => ({ dataDir: join(dir, `shared-${n}`), key }));
    for (const h of homes) expect((await run(h, ['account', 'create', '--email', 'alice@example.com'])).code).toBe(0);
    const results = await Promise.all(homes.map((h) => run(h, ['key', 'add'])));
    for (const r of results) expect(r.code, r.text()).toBe(0);
    const saved = JSON.parse(await readFile(key, 'utf8')) as { signCount: number; credentials?: unknown[] };
    expect(saved.signCount).toBe(10);
  }, 120_000);
});

describe('issue #9: secrets in the environment (18)', () => {
  it('takes LATCHKEY_PASSWORD, LATCHKEY_PIN and LATCHKEY_RECOVERY_CODE out of the environment once read', async () => {
    const env: Record<string, string | undefined> = {
      LATCHKEY_PASSWORD: PASSWORD,
      LATCHKEY_PIN: '4711',
      LATCHKEY_RECOVERY_CODE: 'X',
      OTHER: 'kept',
    };
    const c = capture();
    c.io.env = env;
    expect(
      await main(
        [
          '--data-dir',
          join(dir, 'env'),
          '--virtual-key',
          join(dir, 'env.json'),
          'account',
          'create',
          '--email',
          'alice@example.com',
        ],
        c.io,
      ),
    ).toBe(0);
    expect(env).toEqual({ OTHER: 'kept' });

    // process.env is the default, as for the real command.
    process.env.LATCHKEY_PIN = '4711';
    try {
      await main(['version'], { out: () => undefined, err: () => undefined });
      expect(process.env.LATCHKEY_PIN).toBeUndefined();
    } finally {
      delete process.env.LATCHKEY_PIN;
    }
  });
});
