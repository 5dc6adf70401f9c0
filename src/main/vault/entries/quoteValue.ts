// Shows a value someone typed inside an error message, whatever its type: text through the shared quoteForMessage.

import { quoteForMessage } from '../../text/quoteForMessage.js';

/** Never called with a secret: only with names, numbers and algorithm or type names. */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') return quoteForMessage(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return value === undefined ? 'nothing' : `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
}
