// listRpBackups and restoreRpBackup: the relying party's counts over the store's backups, and the audited changes since.

import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRpBackups, restoreRpBackup } from '../../../src/main/rp/index.js';
import { openTestKey } from '../../support/webauthnResponses.js';
import { FAST_SCRYPT, newAccount, openRp, registerKey, useTempDirs } from './fixture.js';

const tempDir = useTempDirs();

describe('relying-party backups', () => {
  it('lists each backup with its accounts and keys and the changes the audit log recorded after it', async () => {
    const dataDir = await tempDir();
    const { rp } = await openRp(dataDir, { backupIntervalMs: 0, now: Date.now });
    const { user } = await newAccount(rp);
    await rp.regenerateRecoveryCode({ userId: user.id });
    const key = await registerKey(rp, user.id, await openTestKey());
    await rp.renameKey({ userId: user.id, credentialId: key.id, displayName: 'Blue key' });
    await writeFile(join(dataDir, 'relying-party.json'), '{}');
    // Dates set apart from the events', so which events count as later does not hang on a millisecond.
    const hour = 3_600_000;
    await utimes(join(dataDir, 'relying-party.json.bak-1'), new Date(Date.now() + hour), new Date(Date.now() + hour));
    await utimes(join(dataDir, 'relying-party.json.bak-2'), new Date(Date.now() - hour), new Date(Date.now() - hour));

    const listing = await listRpBackups({ dataDir, minScrypt: FAST_SCRYPT });
    expect(listing.current).toEqual({
      state: 'damaged',
      problem: 'it has no format member, expected "latchkey-relying-party"',
    });
    expect(listing.backups.map((b) => [b.generation, b.content])).toEqual([
      [1, { accounts: 1, keys: 1 }],
      [2, { accounts: 1, keys: 0 }],
      [3, { accounts: 1, keys: 0 }],
    ]);
    expect(listing.backups[0]!.changesSince).toEqual({});
    expect(listing.backups[1]!.changesSince).toEqual({
      'account-created': 1,
      'recovery-code-regenerated': 1,
      'key-registered': 1,
      'key-renamed': 1,
    });

    const restored = await restoreRpBackup({ dataDir, generation: 2, minScrypt: FAST_SCRYPT });
    expect(restored.content).toEqual({ accounts: 1, keys: 0 });
    expect(await readFile(restored.keptAside!, 'utf8')).toBe('{}');
    await rp.refresh();
    expect(rp.listKeys(user.id)).toEqual([]);
  });

  it('holds backups to the hash floor: one with a weakened hash is listed as not loading and is not restored', async () => {
    const dataDir = await tempDir();
    const { rp } = await openRp(dataDir, { backupIntervalMs: 0 });
    const { user } = await newAccount(rp);
    await rp.regenerateRecoveryCode({ userId: user.id });
    const bak = join(dataDir, 'relying-party.json.bak-1');
    await writeFile(bak, (await readFile(bak, 'utf8')).replace(`"n": ${FAST_SCRYPT.n}`, '"n": 16'));
    const [first] = (await listRpBackups({ dataDir, minScrypt: FAST_SCRYPT })).backups;
    expect(first!.content).toBeUndefined();
    expect(first!.problem).toMatch(/uses scrypt N=16, r=8, p=1, weaker than the minimum/);
    await expect(restoreRpBackup({ dataDir, generation: 1, minScrypt: FAST_SCRYPT })).rejects.toThrow(
      /bak-1 cannot be restored: the password hash of users\.0 uses scrypt N=16/,
    );
  });
});
