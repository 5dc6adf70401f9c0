import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, HybridLogicalClock, type Hlc } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';

describe('HybridLogicalClock', () => {
  it('follows the wall clock and counts events within one millisecond', () => {
    let now = 1000;
    const clock = new HybridLogicalClock({ device: 'a', now: () => now });
    expect(clock.tick()).toEqual({ wall: 1000, counter: 0, device: 'a' });
    expect(clock.tick()).toEqual({ wall: 1000, counter: 1, device: 'a' });
    now = 2000;
    expect(clock.tick()).toEqual({ wall: 2000, counter: 0, device: 'a' });
  });

  it('never goes backwards when the wall clock does', () => {
    let now = 5000;
    const clock = new HybridLogicalClock({ device: 'a', now: () => now });
    const first = clock.tick();
    now = 1000;
    expect(compareHlc(clock.tick(), first)).toBe(1);
  });

  it('orders the next tick after a received timestamp from a clock that runs ahead', () => {
    const behind = new HybridLogicalClock({ device: 'a', now: () => 1000 });
    const ahead = new HybridLogicalClock({ device: 'b', now: () => 9000 });
    const remote = ahead.tick();
    const receipt = behind.receive(remote);
    expect(compareHlc(receipt, remote)).toBe(1);
    expect(compareHlc(behind.tick(), receipt)).toBe(1);
  });

  it('breaks ties by device id, so the order is total', () => {
    expect(compareHlc({ wall: 1, counter: 0, device: 'a' }, { wall: 1, counter: 0, device: 'b' })).toBe(-1);
    expect(compareHlc({ wall: 1, counter: 0, device: 'b' }, { wall: 1, counter: 0, device: 'b' })).toBe(0);
  });

  it('refuses an empty device id', () => {
    expect(() => new HybridLogicalClock({ device: '' })).toThrow(/device must be a non-empty id/);
  });

  it('issues strictly increasing timestamps through any mix of ticks, receipts and clock jumps', () => {
    const hlc = fc.record({ wall: fc.nat(10_000), counter: fc.nat(5), device: fc.constantFrom('x', 'y') });
    const step = fc.oneof(
      fc.record({ tick: fc.constant(true), now: fc.nat(10_000) }),
      fc.record({ tick: fc.constant(false), now: fc.nat(10_000), remote: hlc }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        let now = 0;
        const clock = new HybridLogicalClock({ device: 'a', now: () => now });
        let last: Hlc | undefined;
        for (const s of steps) {
          now = s.now;
          const next = 'remote' in s ? clock.receive(s.remote) : clock.tick();
          if ('remote' in s) expect(compareHlc(next, s.remote)).toBe(1);
          if (last) expect(compareHlc(next, last)).toBe(1);
          last = next;
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
