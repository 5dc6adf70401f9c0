// After keys are revoked: rewrites every backup of the vault (and removes stale temp files) so no revoked key opens one.

import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../../store/writeFileAtomic.js';
import { bytes } from '../../vault/file/encodedBytes.js';
import { parseVaultFile, vaultFileBytes } from '../../vault/file/vaultText.js';
import type { Slot } from '../../vault/slots/slotSchema.js';
import { slotSetMacMatches } from '../../vault/slots/slotSetMac.js';
import type { UnlockedVault } from '../../vault/slots/unlock.js';
import { withSlots } from '../../vault/slots/withSlots.js';
import { vaultBackupFiles } from './vaultBackups.js';

export interface ForgottenKeys {
  /** Backups whose slot of a revoked key became a tombstone. */
  rewritten: string[];
  /** Backups removed: another key epoch (the current master key cannot re-MAC them), damaged, or left with no way in. */
  removed: string[];
}

/**
 * The vault itself already lost the revoked keys' slots; its rolling backups (`<file>.bak-N`) and temp files a crash
 * left behind (`.<file>.<pid>.<hex>.tmp`) still hold them, and each would open with the revoked key's output. A
 * backup of the same vault and key epoch is rewritten with those slots as tombstones under the current master key (so
 * it still restores); one that cannot be (another epoch, damage, nothing else opens it) is removed. `now` is the open
 * vault; `credentialIds` the revoked keys.
 */
export async function forgetKeysInBackups(
  file: string,
  now: UnlockedVault,
  credentialIds: readonly Uint8Array[],
): Promise<ForgottenKeys> {
  const result: ForgottenKeys = { rewritten: [], removed: [] };
  if (credentialIds.length === 0) return result;
  const revoked = credentialIds.map((id) => Buffer.from(id).toString('base64'));
  const dir = dirname(file);
  const name = basename(file);
  for (const candidate of await readdir(dir).catch(() => [] as string[])) {
    if (!isStaleTemp(candidate, name)) continue;
    await rm(join(dir, candidate), { force: true });
    result.removed.push(join(dir, candidate));
  }
  for (const { path } of await vaultBackupFiles(file)) {
    const data = await readFile(path);
    // A revoked credential id is spelled in base64 in its slot (hmac-secret or os-keychain); a backup not holding one
    // needs nothing.
    if (!revoked.some((id) => data.includes(id))) continue;
    const rewritten = rewrite(data, now, revoked);
    if (rewritten) {
      await writeFileAtomic(path, rewritten);
      result.rewritten.push(path);
    } else {
      await rm(path, { force: true });
      result.removed.push(path);
    }
  }
  return result;
}

function rewrite(data: Buffer, now: UnlockedVault, revoked: readonly string[]): Buffer | undefined {
  try {
    const body = parseVaultFile(data);
    if (body.vault !== now.body.vault || body.epoch !== now.body.epoch) return undefined;
    const header = { vault: body.vault, epoch: body.epoch };
    if (!slotSetMacMatches(now.master, header, body.mode, body.slots, bytes(body.slotsMac))) return undefined;
    const slots: Record<string, Slot> = {};
    for (const [id, slot] of Object.entries(body.slots)) {
      const forget =
        !slot.deleted &&
        (slot.type === 'fido2-hmac-secret' || slot.type === 'os-keychain') &&
        revoked.includes(slot.credentialId);
      // The current vault's tombstone of that slot, whose clock is later: a merge with this backup keeps it deleted.
      const tombstone = now.body.slots[id];
      slots[id] = !forget ? slot : tombstone?.deleted ? tombstone : { type: slot.type, hlc: slot.hlc, deleted: true };
    }
    const { checksum: _checksum, ...clean } = body;
    const next = withSlots({ master: now.master, body: clean }, body.mode, slots);
    return vaultFileBytes(next.body);
  } catch {
    // Damaged, or the lock-out guard says nothing else would open it: such a backup restores nothing worth keeping.
    return undefined;
  }
}

/** A temp file of this vault whose writer is gone (writeFileAtomic names them `.<name>.<pid>.<hex>.tmp`). */
function isStaleTemp(candidate: string, name: string): boolean {
  const match = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(candidate);
  if (!match || match[1] !== name) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
