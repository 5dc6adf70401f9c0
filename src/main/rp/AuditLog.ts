// The security audit log: one JSON object per line in the data folder, holding ids, names, outcomes and reasons, never secrets.

import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const AUDIT_LOG_FILE_NAME = 'audit.jsonl';
export const AUDIT_LOG_VERSION = 1;

export type AuditEventName =
  | 'account-created'
  | 'key-registered'
  | 'key-renamed'
  | 'key-revoked'
  | 'login'
  | 'login-failed'
  | 'registration-failed'
  | 'clone-warning'
  | 'recovery-code-regenerated'
  | 'account-recovered'
  | 'recovery-failed'
  | 'mode-changed'
  | 'settings-changed'
  | 'keys-imported'
  | 'keys-exported';

/**
 * What an event may say. Each member is a name, an id, an outcome or a setting's public value: the type is the
 * allowlist, and record() writes nothing else, so a password, code, challenge or key cannot slip in through a spread.
 */
export interface AuditEvent {
  event: AuditEventName;
  outcome: 'success' | 'failure';
  user_id?: string;
  email?: string;
  credential_id?: string;
  display_name?: string;
  /** A RelyingPartyError reason, or why a key was revoked. */
  reason?: string;
  /** How the user signed in: password, password+key, key, recovery. */
  method?: string;
  /** For settings-changed and mode-changed: which setting, and its public old and new values. */
  setting?: string;
  from?: string;
  to?: string;
  /** For imports, exports and recoveries: how many keys. */
  count?: number;
}

export interface AuditRecord extends AuditEvent {
  v: number;
  at: string;
}

const FIELDS = ['event', 'outcome', 'user_id', 'email', 'credential_id', 'display_name', 'reason', 'method', 'setting', 'from', 'to', 'count'] as const;

export interface AuditLogOptions {
  file: string;
  /** @default Date.now */
  now?: () => number;
}

export class AuditLog {
  readonly file: string;
  readonly #now: () => number;

  constructor(options: AuditLogOptions) {
    this.file = options.file;
    this.#now = options.now ?? Date.now;
  }

  /** Appends one line and syncs it: a security event that is not on disk did not happen for an investigator. */
  async record(event: AuditEvent): Promise<void> {
    const line: Record<string, unknown> = { v: AUDIT_LOG_VERSION, at: new Date(this.#now()).toISOString() };
    for (const field of FIELDS) {
      const value = event[field];
      if (typeof value === 'string' || typeof value === 'number') line[field] = value;
    }
    let handle;
    try {
      handle = await open(this.file, 'a', 0o600);
    } catch (error) {
      // The folder is made on the first event only, not on every append.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      handle = await open(this.file, 'a', 0o600);
    }
    try {
      await handle.writeFile(`${JSON.stringify(line)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /** Every record so far, oldest first; a line that is not JSON (a torn last write) is skipped. */
  async read(): Promise<AuditRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: AuditRecord[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as AuditRecord);
      } catch {
        // A crash mid-append leaves a partial last line; the lines before it still stand.
      }
    }
    return records;
  }
}
