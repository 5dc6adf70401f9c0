// zod schemas for the vault file's encoded values: canonical base64 bytes of a given length, lower-case UUIDs.

import { z } from 'zod';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Padded standard base64 that re-encodes to itself: base64 has several spellings of one value (the unused low bits of
 * the last character), and a byte changed there would otherwise go unnoticed.
 */
export function base64Of(options: { min?: number; max?: number; exact?: number } = {}) {
  const { exact, min = exact ?? 1, max = exact ?? Number.MAX_SAFE_INTEGER } = options;
  return z.string().refine(
    (s) => {
      if (!BASE64.test(s)) return false;
      const bytes = Buffer.from(s, 'base64');
      return bytes.toString('base64') === s && bytes.length >= min && bytes.length <= max;
    },
    {
      message: exact
        ? `expected canonical base64 of ${exact} bytes`
        : `expected canonical base64 of ${min} bytes or more`,
    },
  );
}

export const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lower-case UUID');

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
