// zod schemas for the vault file's encoded values: canonical base64 bytes of a given length, lower-case UUIDs.

import { z } from 'zod';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True for padded standard base64 that re-encodes to itself, of `min` to `max` bytes. Base64 has several spellings of
 * one value (the unused low bits of the last character), and a byte changed there would otherwise go unnoticed. What
 * Buffer writes is canonical, so a text equal to the encoding of its own decoding is: the lenient decoder (it skips
 * foreign characters, reads base64url) needs no pattern in front, which over 10,000 ciphertexts cost several times the
 * decoding itself.
 */
export function isCanonicalBase64(text: string, min: number, max: number): boolean {
  const data = Buffer.from(text, 'base64');
  return data.length >= min && data.length <= max && data.toString('base64') === text;
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
