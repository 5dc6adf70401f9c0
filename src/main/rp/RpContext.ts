// What every relying-party operation works with: the store, the audit log, the challenges, the clock and the policies.

import type { AuditLog } from '../audit/AuditLog.js';
import type { ChallengeStore } from './ceremony/ChallengeStore.js';
import type { JsonStore } from '../store/JsonStore.js';
import type { EffectiveUserVerification } from './settings/resolveUserVerification.js';
import type { RpStoreFile } from './rpStoreFile.js';
import type { RpAuditEvent } from './rpAuditEvents.js';
import type { ScryptParams } from '../secrets/scrypt.js';
import type { ThrottlePolicy } from './sign-in/throttle.js';

export interface RpContext {
  readonly dataDir: string;
  readonly store: JsonStore<RpStoreFile>;
  /** Never throws: an event that cannot be written becomes an RpWarning (RelyingPartyOptions.onWarning). */
  readonly audit: AuditLog<RpAuditEvent>;
  readonly challenges: ChallengeStore;
  readonly now: () => number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Parameters for new password and recovery code hashes. */
  readonly scrypt: ScryptParams;
  readonly throttle: ThrottlePolicy;
  /** COSE algorithms offered at registration and accepted from a key. */
  readonly algorithms: readonly number[];
  /** Resolved at open and after every settings change (environment > .env > setting). */
  userVerification: EffectiveUserVerification;
}
