// Single-use WebAuthn challenges that expire, bound to a ceremony and an account, kept in memory only.

import { randomBytes } from 'node:crypto';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { UserVerificationPolicy } from '../settings/rpSettings.js';

/**
 * registration: add a key to a signed-in account. second-factor: the key after a correct password. passwordless: a
 * key alone (WebAuthn-only accounts). recovery: a new key after a correct recovery code.
 */
export type Ceremony = 'registration' | 'second-factor' | 'passwordless' | 'recovery';

export interface ChallengeRecord {
  /** base64url, exactly as it appears in the options and in clientDataJSON. */
  readonly challenge: string;
  readonly ceremony: Ceremony;
  /** The account the ceremony is for; undefined only for a passwordless sign-in that has not named one. */
  readonly userId: string | undefined;
  /** The policy in force when the options went out: the response is judged by the same one. */
  readonly userVerification: UserVerificationPolicy;
  /** For registration and recovery: whether the options asked for a discoverable credential. */
  readonly residentKey?: 'required' | 'discouraged';
  /** For recovery: which recovery code opened the ceremony (its hash's unique salt), so a spent or replaced code ends it. */
  readonly recoveryCodeSalt?: string;
  readonly expiresAt: number;
}

export type IssueChallengeOptions = Omit<ChallengeRecord, 'challenge' | 'expiresAt'>;

export interface ChallengeStoreOptions {
  /** How long a challenge can be answered. @default 120000 (2 minutes) */
  ttlMs?: number;
  /** @default Date.now */
  now?: () => number;
}

const CHALLENGE_BYTES = 32;

export class ChallengeStore {
  readonly ttlMs: number;
  readonly #now: () => number;
  readonly #open = new Map<string, ChallengeRecord>();
  /** Answered (or refused) challenges, remembered until they would have expired so a replay is named as such. */
  readonly #spent = new Map<string, ChallengeRecord>();

  constructor(options: ChallengeStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 120_000;
    if (!Number.isFinite(this.ttlMs) || this.ttlMs <= 0)
      throw new RangeError(`challenge ttlMs must be positive, got ${this.ttlMs}`);
    this.#now = options.now ?? Date.now;
  }

  issue(options: IssueChallengeOptions): ChallengeRecord {
    this.#prune();
    const record: ChallengeRecord = {
      ...options,
      challenge: randomBytes(CHALLENGE_BYTES).toString('base64url'),
      expiresAt: this.#now() + this.ttlMs,
    };
    this.#open.set(record.challenge, record);
    return record;
  }

  /**
   * Takes the challenge out of play and returns it, or throws naming why it cannot be used: unknown, already used,
   * for another ceremony, or expired. Any attempt spends it, a failed one included (WebAuthn L3 section 13.4.3).
   */
  consume(challenge: string, ceremonies: readonly Ceremony[]): ChallengeRecord {
    const spent = this.#spent.get(challenge);
    if (spent)
      throw new RelyingPartyError(
        'challenge-reused',
        `the challenge in clientDataJSON was already used by a ${spent.ceremony} response; each challenge is good for one response`,
      );
    const record = this.#open.get(challenge);
    if (!record)
      throw new RelyingPartyError(
        'challenge-unknown',
        'the challenge in clientDataJSON was not issued by this relying party (or Latchkey restarted since)',
      );
    this.#open.delete(challenge);
    this.#spent.set(challenge, record);
    if (!ceremonies.includes(record.ceremony)) {
      throw new RelyingPartyError(
        'challenge-wrong-ceremony',
        `the challenge was issued for ${record.ceremony}, expected a ${ceremonies.join(' or ')} challenge`,
      );
    }
    const late = this.#now() - record.expiresAt;
    if (late >= 0)
      throw new RelyingPartyError(
        'challenge-expired',
        `the challenge expired ${Math.round(late / 1000)} s ago; it was good for ${Math.round(this.ttlMs / 1000)} s`,
      );
    return record;
  }

  #prune(): void {
    const now = this.#now();
    for (const [key, record] of this.#open) if (record.expiresAt + this.ttlMs < now) this.#open.delete(key);
    for (const [key, record] of this.#spent) if (record.expiresAt + this.ttlMs < now) this.#spent.delete(key);
  }
}
