// Shared set-up for the relying-party tests: temporary data folders, a fake clock, cheap scrypt, and ceremony shortcuts.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { RelyingParty, RelyingPartyError, type RelyingPartyOptions } from '../../../src/main/rp/index.js';
import type { CredentialRecord, SignedIn } from '../../../src/main/rp/index.js';
import { createCredential, getAssertion, type ClientOverrides, type TestKey } from '../../support/webauthnResponses.js';

/** scrypt at N = 2^10: the code path of the real parameters at a fraction of the time. */
export const FAST_SCRYPT = { n: 1024, r: 8, p: 1 };
export const EMAIL = 'alice@example.com';
export const PASSWORD = 'correct horse battery staple';

export class FakeClock {
  t = Date.parse('2025-03-01T09:00:00.000Z');
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Temporary data folders for one test file, removed when it ends. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'latchkey-rp-'));
    made.push(dir);
    return dir;
  };
}

export interface Opened {
  rp: RelyingParty;
  dataDir: string;
  clock: FakeClock;
}

export async function openRp(
  dataDir: string,
  options: RelyingPartyOptions = {},
  clock = new FakeClock(),
): Promise<Opened> {
  const rp = await RelyingParty.open({
    dataDir,
    env: {},
    now: clock.now,
    scrypt: FAST_SCRYPT,
    minScrypt: FAST_SCRYPT,
    ...options,
  });
  return { rp, dataDir, clock };
}

export async function newAccount(rp: RelyingParty, email = EMAIL, password = PASSWORD) {
  return rp.signUp({ email, password });
}

export async function registerKey(
  rp: RelyingParty,
  userId: string,
  key: TestKey,
  overrides: ClientOverrides = {},
  displayName?: string,
): Promise<CredentialRecord> {
  const options = await rp.startKeyRegistration({ userId });
  const response = await createCredential(key, options, overrides);
  return rp.finishKeyRegistration({ response, displayName });
}

/** Password, then the key: the second-factor sign-in end to end. */
export async function signInWithKey(
  rp: RelyingParty,
  key: TestKey,
  overrides: ClientOverrides = {},
  email = EMAIL,
  password = PASSWORD,
): Promise<SignedIn> {
  const step = await rp.signInWithPassword({ email, password });
  if (step.status !== 'key-required') throw new Error(`expected a key to be required, got ${step.status}`);
  const response = await getAssertion(key, step.options, overrides);
  return rp.finishKeySignIn({ response });
}

/** Awaits a rejection and checks it is a RelyingPartyError with this reason whose message matches. */
export async function expectRefusal(
  promise: Promise<unknown>,
  reason: string,
  message?: RegExp,
): Promise<RelyingPartyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a refusal with reason ${reason}`).toBeInstanceOf(RelyingPartyError);
  const refusal = error as RelyingPartyError;
  expect(refusal.reason, refusal.message).toBe(reason);
  if (message) expect(refusal.message).toMatch(message);
  return refusal;
}
