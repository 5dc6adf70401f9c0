// Checks one entry record of a vault file by hand, as entryRecordSchema would: zod over 10,000 records cost more than
// decrypting them.

import { VaultDamagedError } from '../errors/VaultDamagedError.js';
import { base64Expectation, isCanonicalBase64, UUID } from './encodedBytes.js';
import type { EntryRecord } from './vaultFileSchema.js';

const RECORD_MEMBERS = ['ciphertext', 'deleted', 'hlc', 'nonce'];
const HLC_MEMBERS = ['counter', 'device', 'wall'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** True when `value` has exactly these members (names in any order). */
function hasExactly(value: Record<string, unknown>, names: readonly string[]): boolean {
  let count = 0;
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    if (!names.includes(name)) return false;
    count++;
  }
  return count === names.length;
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/**
 * The record unchanged (no copy: the file holds 10,000) when it is an entry record, or a VaultDamagedError naming the
 * member that is not (`member entries.<uuid>.nonce`) and what was expected, never the value found.
 */
export function checkEntryRecord(id: string, value: unknown): EntryRecord {
  if (!UUID.test(id))
    throw new VaultDamagedError({
      part: 'member entries',
      problem: 'fails the format: expected a lower-case UUID as each member name',
    });
  const fail = (member: string, expected: string) =>
    new VaultDamagedError({
      part: `member entries.${id}${member ? `.${member}` : ''}`,
      problem: `fails the format: ${expected}`,
    });
  if (!isObject(value)) throw fail('', 'expected an object');
  if (!hasExactly(value, RECORD_MEMBERS)) throw fail('', `expected exactly the members ${RECORD_MEMBERS.join(', ')}`);
  const { hlc } = value;
  if (!isObject(hlc) || !hasExactly(hlc, HLC_MEMBERS))
    throw fail('hlc', `expected an object of exactly ${HLC_MEMBERS.join(', ')}`);
  if (!isIntegerIn(hlc.wall, 0, Number.MAX_SAFE_INTEGER)) throw fail('hlc.wall', 'expected an integer from 0');
  if (!isIntegerIn(hlc.counter, 0, 0x7fffffff)) throw fail('hlc.counter', 'expected an integer from 0 to 2^31 - 1');
  if (typeof hlc.device !== 'string' || hlc.device.length < 1 || hlc.device.length > 64)
    throw fail('hlc.device', 'expected a string of 1 to 64 characters');
  if (typeof value.deleted !== 'boolean') throw fail('deleted', 'expected a boolean');
  if (typeof value.nonce !== 'string' || !isCanonicalBase64(value.nonce, 12, 12))
    throw fail('nonce', base64Expectation({ exact: 12 }));
  if (typeof value.ciphertext !== 'string' || !isCanonicalBase64(value.ciphertext, 16, Number.MAX_SAFE_INTEGER))
    throw fail('ciphertext', base64Expectation({ min: 16 }));
  return value as unknown as EntryRecord;
}
