import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeEntryRecord,
  encodeGroupRecord,
  readVaultContent,
} from '../../../../../src/main/services/vault/vaultRecords.js';
import { HybridLogicalClock } from '../../../../../src/main/vault/clock/HybridLogicalClock.js';
import { MIN_ARGON2_PARAMS } from '../../../../../src/main/vault/crypto/argon2id.js';
import { parseVaultFile } from '../../../../../src/main/vault/file/vaultText.js';
import { unlock } from '../../../../../src/main/vault/slots/unlock.js';
import { VaultUnlockError } from '../../../../../src/main/vault/index.js';
import { exportLatchkeyEncrypted } from '../../../../../src/main/vault/transfer/export/index.js';
import { exportRecordBytes } from '../../../../../src/main/vault/transfer/export/exportRecordBytes.js';
import { GROUP, sampleEntries, SECRET } from '../transferFixtures.js';

const run = promisify(execFile);
const decryptor = join(import.meta.dirname, '../../../../../scripts/decrypt-vault.mjs');
const PASSWORD = 'export pässword';
const clock = () => new HybridLogicalClock({ device: 'export-test' });

let folder: string;
let exported: Buffer;
const entries = sampleEntries();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'latchkey-export-'));
  exported = await exportLatchkeyEncrypted(entries, [GROUP], {
    password: Buffer.from(PASSWORD, 'utf8'),
    params: MIN_ARGON2_PARAMS,
    clock: clock(),
  });
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function decrypt(password: string) {
  const file = join(folder, 'export.json');
  await writeFile(file, exported, { mode: 0o600 });
  return run(process.execPath, [decryptor, file], {
    env: { PATH: process.env.PATH ?? '', LATCHKEY_PASSWORD: password },
  });
}

describe('exportLatchkeyEncrypted', () => {
  it('holds no secret in clear and has one password slot, nothing else', () => {
    expect(exported.toString('utf8')).not.toContain(SECRET);
    const body = parseVaultFile(exported);
    expect(body.mode).toBe('password-or-key');
    expect(Object.values(body.slots).map((slot) => slot.type)).toEqual(['password']);
    expect(Object.keys(body.entries).sort()).toEqual([GROUP.id, ...entries.map((e) => e.id)].sort());
  });

  it('the standalone decryptor opens it with the password and prints every entry’s 2FAuth fields', async () => {
    const { stdout } = await decrypt(PASSWORD);
    const printed = JSON.parse(stdout) as { data: Record<string, unknown>[] };
    const expected = [...entries]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(({ otp_type, service, account, secret, digits, algorithm, period, counter, icon }) => ({
        otp_type,
        service,
        account,
        secret,
        digits,
        algorithm,
        period,
        counter,
        icon,
      }));
    expect(printed.data).toEqual(expected);
  });

  it('the standalone decryptor refuses a wrong password', async () => {
    const error = await decrypt('not the password').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 1, stdout: '' });
    expect((error as { stderr: string }).stderr).toMatch(/the password does not open this vault/);
  });

  it('unlock() opens it and the app reads back the same entries and groups', async () => {
    const vault = await unlock(parseVaultFile(exported), { password: PASSWORD });
    const content = readVaultContent(vault);
    vault.master.fill(0);
    expect([...content.groups.values()]).toEqual([GROUP]);
    expect([...content.entries.values()].sort((a, b) => a.order - b.order)).toEqual(entries);
    await expect(unlock(parseVaultFile(exported), { password: 'wrong' })).rejects.toBeInstanceOf(VaultUnlockError);
  });

  it('seals records byte for byte as services/vault/vaultRecords.ts writes them', () => {
    for (const entry of entries) expect(exportRecordBytes({ kind: 'entry', entry })).toEqual(encodeEntryRecord(entry));
    expect(exportRecordBytes({ kind: 'group', group: GROUP })).toEqual(encodeGroupRecord(GROUP));
  });

  it('refuses Argon2id parameters below the floor every Latchkey enforces', async () => {
    await expect(
      exportLatchkeyEncrypted(entries, [], {
        password: Buffer.from(PASSWORD),
        params: { m: 1024, t: 1, p: 1 },
        clock: clock(),
      }),
    ).rejects.toThrow(/m=1024 KiB, t=1, p=1 are below the floor m=19456 KiB, t=2, p=1/);
  });
});
