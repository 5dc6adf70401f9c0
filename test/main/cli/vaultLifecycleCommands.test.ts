// The vault from the command line: entries after sign-in, a damaged file named with the backup that opens, restore,
// and `account password` (the current password only) after which the vault opens with the new one.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli, runLatchkey } from '../../support/cliRun.js';

const PASSWORD = 'correct horse battery staple';
const URI = 'otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP&issuer=GitHub';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-vault-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function withPassword(password = PASSWORD, extra: Record<string, string> = {}) {
  return captureCli({ env: { ...process.env, LATCHKEY_PASSWORD: password, ...extra } });
}

async function vaultFile(dataDir: string): Promise<string> {
  const names = await readdir(join(dataDir, 'vaults'));
  return join(
    dataDir,
    'vaults',
    names.find((n) => n.endsWith('.json'))!,
  );
}

describe('the vault from the command line', () => {
  it('says a damaged vault is damaged, names the newest backup that opens, and restores it', async () => {
    const home = { dataDir: join(dir, 'damaged'), key: join(dir, 'damaged-key.json') };
    expect((await runLatchkey(home, ['account', 'create', '--email', 'ada@example.com'], withPassword())).code).toBe(0);
    const added = await runLatchkey(home, ['entry', 'add', '--uri', URI], withPassword());
    expect(added.code, added.text()).toBe(0);
    const file = await vaultFile(home.dataDir);
    const before = await readFile(file);
    // One changed byte in the middle of the file.
    const damaged = Buffer.from(before);
    const at = Math.floor(damaged.length / 2);
    damaged.writeUInt8(damaged.readUInt8(at) ^ 0x01, at);
    await writeFile(file, damaged);

    const refused = await runLatchkey(home, ['code'], withPassword());
    expect(refused.code).toBe(3);
    expect(refused.text()).toMatch(/The vault file is damaged: .*Latchkey has not changed it/);
    expect(refused.text()).toMatch(/The newest backup that opens is backup 1, saved .*"latchkey vault restore 1"/);
    // Overwrites nothing: the damaged bytes are still there.
    expect(await readFile(file)).toEqual(damaged);

    const listing = await runLatchkey(home, ['vault', 'restore'], withPassword());
    expect(listing.code, listing.text()).toBe(0);
    expect(listing.out.join('\n')).toMatch(/^ {2}1 {2}saved .*record\(s\)/m);
    const restored = await runLatchkey(home, ['vault', 'restore', '--yes', '1'], withPassword());
    expect(restored.code, restored.text()).toBe(0);
    const codes = await runLatchkey(home, ['code', '--json'], withPassword());
    expect(codes.code, codes.text()).toBe(0);
    // Backup 1 was written before the entry was added: the vault as it stood at sign-up, empty.
    expect(JSON.parse(codes.out.join('\n'))).toMatchObject({ codes: [] });
  });

  it('account password needs the current password only, and the vault then opens with the new one', async () => {
    const home = { dataDir: join(dir, 'password'), key: join(dir, 'password-key.json') };
    expect((await runLatchkey(home, ['account', 'create', '--email', 'ada@example.com'], withPassword())).code).toBe(0);
    expect((await runLatchkey(home, ['entry', 'add', '--uri', URI], withPassword())).code).toBe(0);
    const NEW = 'a brand new passphrase';
    const changed = await runLatchkey(
      home,
      ['account', 'password'],
      withPassword(PASSWORD, { LATCHKEY_NEW_PASSWORD: NEW }),
    );
    expect(changed.code, changed.text()).toBe(0);
    expect(changed.out.join('\n')).toMatch(
      /The password of ada@example.com is changed; the vault opens with the new one\./,
    );
    const old = await runLatchkey(home, ['code'], withPassword());
    expect(old.code).toBe(3);
    expect(old.text()).toMatch(/the email or password is wrong/);
    const codes = await runLatchkey(home, ['code', '--json'], withPassword(NEW));
    expect(codes.code, codes.text()).toBe(0);
    expect(JSON.parse(codes.out.join('\n')).codes).toHaveLength(1);
    const same = await runLatchkey(home, ['account', 'password'], withPassword(NEW, { LATCHKEY_NEW_PASSWORD: NEW }));
    expect(same.code).not.toBe(0);
    expect(same.text()).toMatch(/The new password is the current one; nothing was changed\./);
  });
});
