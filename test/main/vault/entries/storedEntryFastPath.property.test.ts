// The hand check of stored entries never accepts what the schema refuses, and gives the schema's result when it accepts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedEntryFastPath } from '../../../../src/main/vault/entries/storedEntryFastPath.js';
import { vaultEntrySchema } from '../../../../src/main/vault/entries/vaultEntry.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';
import { uuid, validEntryFields as valid } from './entryArbitraries.js';

const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ' x', 'a:b', 'a\u0007', 'x'.repeat(256), 'Bücherei'),
);

/** One field replaced by something plausible and wrong (or a surplus member), half of the time. */
const mutation = fc.option(
  fc.oneof(
    fc.tuple(fc.constant('otp_type'), fc.constantFrom('motp', 1, 'hotp', 'steamtotp', 'totp')),
    fc.tuple(fc.constant('service'), fc.oneof(text, fc.constantFrom(' x', 'a:b', ''))),
    fc.tuple(fc.constant('account'), text),
    fc.tuple(fc.constant('secret'), fc.oneof(fc.string(), fc.constantFrom('JBSWY3DPEHPK3PX', 'jbswy3dpehpk3pxp'))),
    fc.tuple(fc.constant('digits'), fc.oneof(fc.integer({ min: 3, max: 12 }), fc.constantFrom(6.5, '6'))),
    fc.tuple(fc.constant('algorithm'), fc.constantFrom('sha3', 'SHA1', 'md5')),
    fc.tuple(fc.constant('period'), fc.oneof(fc.integer({ min: -1, max: 90_000 }), fc.constantFrom(null, 30, 1.5))),
    fc.tuple(fc.constant('counter'), fc.constantFrom(null, -1, 0, 1.5, Number.MAX_SAFE_INTEGER + 1)),
    fc.tuple(fc.constant('icon'), fc.constantFrom('', 'x'.repeat(256), 3, 'github')),
    fc.tuple(fc.constant('groups'), fc.constantFrom(['not-a-uuid'], ['A'.repeat(36)], 'x', [1])),
    fc.tuple(fc.constant('order'), fc.constantFrom(-1, 1.5, '0')),
    fc.tuple(
      fc.constant('created_at'),
      fc.constantFrom('2026-02-30T00:00:00.000Z', '2026-01-01T00:00:00Z', '2026-01-01', '+012026-01-01T00:00:00.000Z'),
    ),
    fc.tuple(fc.constant('note'), fc.constantFrom('x'.repeat(10_001), 3, null)),
    fc.tuple(fc.constant('favourite'), fc.constantFrom('yes', null, 1)),
    fc.tuple(fc.constant('surplus'), fc.constant('member')),
    fc.tuple(fc.constant('note'), fc.constant(undefined)),
  ),
);

const candidate = fc.tuple(valid, mutation).map(([entry, change]) => {
  if (!change) return entry;
  const [name, value] = change;
  const changed: Record<string, unknown> = { ...entry };
  if (value === undefined) delete changed[name];
  else changed[name] = value;
  return changed;
});

describe('storedEntryFastPath', () => {
  it('accepts only what vaultEntrySchema accepts, and returns what it returns', () => {
    let accepted = 0;
    fc.assert(
      fc.property(uuid, candidate, (id, fields) => {
        const fast = storedEntryFastPath(id, fields);
        if (fast === undefined) return;
        accepted += 1;
        const slow = vaultEntrySchema.safeParse({ ...fields, id });
        expect(slow.success).toBe(true);
        expect(fast).toEqual(slow.data);
      }),
      { numRuns: Math.max(FUZZ_RUNS, 2000) },
    );
    // The property means something only if the hand check accepts a fair share.
    expect(accepted).toBeGreaterThan(100);
  });

  it('accepts a plain valid entry of each type', () => {
    const at = '2026-01-02T03:04:05.000Z';
    const base = {
      service: 'GitHub',
      account: 'ada',
      secret: 'JBSWY3DPEHPK3PXP',
      icon: null,
      groups: [],
      order: 0,
      created_at: at,
      updated_at: at,
      note: '',
    };
    const id = '6f1c2b3a-0000-4000-8000-000000000001';
    for (const fields of [
      { ...base, otp_type: 'totp', digits: 6, algorithm: 'sha1', period: 30, counter: null },
      { ...base, otp_type: 'hotp', digits: 8, algorithm: 'sha256', period: null, counter: 7 },
      { ...base, otp_type: 'steamtotp', digits: 5, algorithm: 'sha1', period: 30, counter: null, favourite: true },
    ])
      expect(storedEntryFastPath(id, fields)).toEqual(vaultEntrySchema.parse({ ...fields, id }));
  });
});
