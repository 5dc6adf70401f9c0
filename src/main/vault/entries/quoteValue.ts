// Shows a value someone typed inside an error message: JSON-quoted (control characters escaped) and shortened.

/** Enough to recognise what was typed without echoing a whole paste. */
const MAX_SHOWN = 40;

/** Never called with a secret: only with names, numbers and algorithm or type names. */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') {
    const characters = [...value];
    const shown = JSON.stringify(characters.slice(0, MAX_SHOWN).join(''));
    return characters.length > MAX_SHOWN ? `${shown.slice(0, -1)}..." (${characters.length} characters)` : shown;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return value === undefined ? 'nothing' : `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
}
