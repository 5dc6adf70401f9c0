// Parses the JSON of an import file after checking its nesting depth, so a hostile file cannot exhaust the stack.

import { ImportError } from './ImportError.js';

/**
 * No export nests deeper than about 6 levels (Bitwarden: items, item, login, uris, uri); 64 leaves room for any
 * future field while a file of a million `[` is refused before anything recursive sees it.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The parsed value, or an ImportError: `too-deep` above MAX_JSON_DEPTH, `damaged` for a syntax error. The syntax
 * error gives a position only: the engine's own message quotes the text around it, which may be a secret.
 */
export function parseImportJson(text: string, what: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH)
        throw new ImportError(
          'too-deep',
          `${what} nests objects and arrays more than ${MAX_JSON_DEPTH} deep (at character ${i + 1}), deeper than any export writes`,
        );
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
    const where = position === undefined ? '' : ` at character ${Number(position) + 1}`;
    const ending = depth > 0 || inString ? ': it ends early, as a truncated file does' : '';
    throw new ImportError('damaged', `${what} is not valid JSON${where}${ending}`);
  }
}
