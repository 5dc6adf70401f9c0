// The relying party's audit events: their names, the members each may carry, and the allowlist the log writes.

import type { AuditRecord } from '../audit/AuditLog.js';

export type RpAuditEventName =
  | 'account-created'
  | 'password-changed'
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
 * What an event may say. Each member is a name, an id, an outcome or a setting's public value: the type and
 * RP_AUDIT_FIELDS are the allowlist, so a password, code, challenge or key cannot slip in through a spread.
 */
export interface RpAuditEvent {
  event: RpAuditEventName;
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

export type RpAuditRecord = AuditRecord<RpAuditEvent>;

export const RP_AUDIT_FIELDS = [
  'user_id',
  'email',
  'credential_id',
  'display_name',
  'reason',
  'method',
  'setting',
  'from',
  'to',
  'count',
] as const satisfies readonly Exclude<keyof RpAuditEvent, 'event' | 'outcome'>[];

/** The events that record a change to relying-party.json: what restoring an older backup would undo. */
export const RP_CHANGE_EVENTS: ReadonlySet<RpAuditEventName> = new Set([
  'account-created',
  'password-changed',
  'key-registered',
  'key-renamed',
  'key-revoked',
  'recovery-code-regenerated',
  'account-recovered',
  'mode-changed',
  'settings-changed',
  'keys-imported',
]);
