// fast-check arbitraries of stored entries: every field of the entry model, the three types' rules kept.

import fc from 'fast-check';

export const uuid = fc.uuid().map((u) => u.toLowerCase());
const instant = fc
  .date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** A valid entry of one of the three types, its fields consistent with each other. */
export const validEntryFields = fc
  .record({
    type: fc.constantFrom('totp', 'hotp', 'steamtotp'),
    service: fc.constantFrom('GitHub', 'Proton Mail', 'Bücherei Zürich', 'x'.repeat(255)),
    account: fc.constantFrom('ada', '', 'émile@example.org'),
    secret: fc.constantFrom('JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'),
    digits: fc.integer({ min: 6, max: 10 }),
    algorithm: fc.constantFrom('sha1', 'sha256', 'sha512', 'md5'),
    period: fc.integer({ min: 1, max: 86_400 }),
    counter: fc.nat(),
    icon: fc.oneof(fc.constant(null), uuid),
    groups: fc.uniqueArray(uuid, { maxLength: 3 }),
    order: fc.nat(),
    created_at: instant,
    updated_at: instant,
    note: fc.string({ maxLength: 30 }),
    favourite: fc.constantFrom(undefined, true, false),
  })
  .map(({ type, favourite, ...f }) => {
    const entry: Record<string, unknown> = {
      ...f,
      otp_type: type,
      period: type === 'hotp' ? null : type === 'steamtotp' ? 30 : f.period,
      counter: type === 'hotp' ? f.counter : null,
      digits: type === 'steamtotp' ? 5 : f.digits,
      algorithm: type === 'steamtotp' ? 'sha1' : f.algorithm,
    };
    if (favourite !== undefined) entry.favourite = favourite;
    return entry;
  });
