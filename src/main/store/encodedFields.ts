// zod schemas for the encoded values the relying party's files carry: base64url and base64 bytes, UUIDs, timestamps.

import { z } from 'zod';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Bytes as unpadded base64url, WebAuthn's encoding for credential ids and user handles (WebAuthn L3 section 5.1.8). */
export const base64urlBytes = z
  .string()
  .min(1)
  .refine((s) => BASE64URL.test(s) && s.length % 4 !== 1, { message: 'expected unpadded base64url' });

/** Bytes as padded standard base64, the encoding Go's encoding/json gives []byte (and so Ory Kratos). */
export const base64Bytes = z
  .string()
  .min(1)
  .refine((s) => BASE64.test(s), { message: 'expected padded standard base64' });

/** 8-4-4-4-12 hexadecimal UUID text in lower case, as AAGUIDs are written in the FIDO metadata. */
export const uuidText = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lower-case UUID');

/** An instant as ISO 8601 text in UTC with milliseconds, as Date.prototype.toISOString writes it. */
export const isoInstant = z.iso.datetime({ offset: false, precision: 3 });

/** A WebAuthn/CTAP signature counter: an unsigned 32-bit integer. */
export const uint32 = z.number().int().min(0).max(0xffffffff);
