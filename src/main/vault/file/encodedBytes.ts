// zod schemas for the vault file's encoded values: canonical base64 bytes of a given length, lower-case UUIDs.

import { z } from 'zod';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Base64 digits whose unused low bits are zero: the last digit before `==` (4 bits unused) and before `=` (2). */
const LAST_BEFORE_TWO_PADS = 'AQgw';
const LAST_BEFORE_ONE_PAD = 'AEIMQUYcgkosw048';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True for padded standard base64 that re-encodes to itself, of `min` to `max` bytes. Base64 has several spellings of
 * one value (the unused low bits of the last digit), and a byte changed there would otherwise go unnoticed. Decoding
 * and encoding again would tell, but costs more than the file's JSON parse over 10,000 entries: the unused bits are
 * checked on the digit itself, and the length comes from the text's length.
 */
export function isCanonicalBase64(text: string, min: number, max: number): boolean {
  if (!BASE64.test(text)) return false;
  const pads = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (pads === 2 && !LAST_BEFORE_TWO_PADS.includes(text[text.length - 3]!)) return false;
  if (pads === 1 && !LAST_BEFORE_ONE_PAD.includes(text[text.length - 2]!)) return false;
  const length = (text.length / 4) * 3 - pads;
  return length >= min && length <= max;
}

/** What a base64 check expects, in the words of the format errors. */
export function base64Expectation(options: { min?: number; exact?: number }): string {
  return options.exact
    ? `expected canonical base64 of ${options.exact} bytes`
    : `expected canonical base64 of ${options.min ?? 1} bytes or more`;
}

/** The zod schema of isCanonicalBase64, for the records zod checks (the slots). */
export function base64Of(options: { min?: number; max?: number; exact?: number } = {}) {
  const { exact, min = exact ?? 1, max = exact ?? Number.MAX_SAFE_INTEGER } = options;
  return z.string().refine((s) => isCanonicalBase64(s, min, max), { message: base64Expectation({ min, exact }) });
}

export const uuid = z.string().regex(UUID, 'expected a lower-case UUID');

export const hlcSchema = z.strictObject({
  wall: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  counter: z.number().int().min(0).max(0x7fffffff),
  device: z.string().min(1).max(64),
});

export function bytes(text: string): Buffer {
  return Buffer.from(text, 'base64');
}

export function base64(data: Uint8Array): string {
  return Buffer.from(data).toString('base64');
}
