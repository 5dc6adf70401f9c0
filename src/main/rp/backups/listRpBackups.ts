// The backups of relying-party.json, newest first: when each was saved, what it holds, and what restoring it would undo.

import { join } from 'node:path';
import { AUDIT_LOG_FILE_NAME, AuditLog } from '../../audit/AuditLog.js';
import { listBackups } from '../../store/listBackups.js';
import { loadJsonFile } from '../../store/loadJsonFile.js';
import { MIN_SCRYPT_PARAMS, type ScryptParams } from '../../secrets/scrypt.js';
import { countRpContent, type RpContentCount } from './countRpContent.js';
import { RP_AUDIT_FIELDS, RP_CHANGE_EVENTS, type RpAuditEvent, type RpAuditEventName } from '../rpAuditEvents.js';
import { RP_STORE_FILE_NAME } from '../rpStoreFile.js';
import { rpStoreSpec } from '../rpStoreSpec.js';

export interface ListRpBackupsOptions {
  dataDir: string;
  /** As RelyingPartyOptions.minScrypt: a backup holding a weaker hash does not load. @default MIN_SCRYPT_PARAMS */
  minScrypt?: ScryptParams;
}

export interface RpBackupSummary {
  path: string;
  /** 1 is the newest; `latchkey restore N` takes this number. */
  generation: number;
  savedAt: Date;
  /** What it holds, when it loads. */
  content?: RpContentCount;
  /** Why it cannot be restored, when it does not load. */
  problem?: string;
  /**
   * The changes the audit log recorded after the backup was saved, by event (`key-registered: 2`): what restoring it
   * would undo. Undefined when the audit log cannot be read.
   */
  changesSince?: Partial<Record<RpAuditEventName, number>>;
}

export interface RpBackupListing {
  file: string;
  /** The file in place: what it holds, why it does not load, or that it is missing. */
  current: { state: 'loads'; content: RpContentCount } | { state: 'damaged'; problem: string } | { state: 'missing' };
  backups: RpBackupSummary[];
}

export async function listRpBackups(options: ListRpBackupsOptions): Promise<RpBackupListing> {
  const file = join(options.dataDir, RP_STORE_FILE_NAME);
  const spec = rpStoreSpec(options.minScrypt ?? MIN_SCRYPT_PARAMS);
  const loaded = await loadJsonFile(spec, file);
  const current: RpBackupListing['current'] = loaded.ok
    ? { state: 'loads', content: countRpContent(loaded.value) }
    : loaded.missing
      ? { state: 'missing' }
      : { state: 'damaged', problem: loaded.problem };
  const { found } = await listBackups({ ...spec, file });
  const changes = await readChanges(options.dataDir);
  const backups = found.map((backup): RpBackupSummary => {
    const summary: RpBackupSummary = { path: backup.path, generation: backup.generation, savedAt: backup.savedAt };
    if (backup.value !== undefined) summary.content = countRpContent(backup.value);
    if (backup.problem !== undefined) summary.problem = backup.problem;
    if (changes) summary.changesSince = countSince(changes, backup.savedAt);
    return summary;
  });
  return { file, current, backups };
}

/** The successful changes the audit log holds, or undefined when it cannot be read (the listing still stands). */
async function readChanges(dataDir: string): Promise<{ at: number; event: RpAuditEventName }[] | undefined> {
  try {
    const log = new AuditLog<RpAuditEvent>({ file: join(dataDir, AUDIT_LOG_FILE_NAME), fields: RP_AUDIT_FIELDS });
    return (await log.read())
      .filter((r) => r.outcome === 'success' && RP_CHANGE_EVENTS.has(r.event))
      .map((r) => ({ at: Date.parse(r.at), event: r.event }));
  } catch {
    return undefined;
  }
}

function countSince(
  changes: readonly { at: number; event: RpAuditEventName }[],
  savedAt: Date,
): Partial<Record<RpAuditEventName, number>> {
  const counts: Partial<Record<RpAuditEventName, number>> = {};
  // At or after: an event is written just after the change it records, so one in the same millisecond as the backup
  // most likely came after it; counting it errs towards warning of a loss.
  for (const change of changes)
    if (change.at >= savedAt.getTime()) counts[change.event] = (counts[change.event] ?? 0) + 1;
  return counts;
}
