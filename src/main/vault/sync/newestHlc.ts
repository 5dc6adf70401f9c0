// The newest clock in a vault copy, for the desktop's own clock to receive after a merge.

import { compareHlc, type Hlc } from '../clock/HybridLogicalClock.js';
import type { VaultBody } from '../file/vaultText.js';

/**
 * The latest clock of any entry or slot record (tombstones included), or undefined for a copy with no records. Passing
 * it to HybridLogicalClock.receive after a merge makes the next local edit order after everything merged, even when
 * this machine's wall clock runs behind the other desktop's.
 */
export function newestHlc(body: VaultBody): Hlc | undefined {
  let newest: Hlc | undefined;
  for (const record of [...Object.values(body.entries), ...Object.values(body.slots)])
    if (!newest || compareHlc(record.hlc, newest) > 0) newest = record.hlc;
  return newest && { ...newest };
}
