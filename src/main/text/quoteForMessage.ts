// Quotes text a user typed for an error message: invisible and direction-changing characters spelled out, long text shortened.

/** Enough to recognise what was typed; a 5,000-character name is not echoed whole. */
const MAX_SHOWN = 40;

/** Characters a terminal or a UI would not show as themselves (see checkDisplayName for why each is refused). */
// Blank letters and combining marks that show nothing (U+034F, U+115F, U+1160, U+17B4, U+17B5, U+180B-U+180F) are
// alternatives of their own: in a character class a combining mark would join its neighbour.
export const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\u2800\u3164\uFFA0]|\u034F|\u115F|\u1160|\u17B4|\u17B5|\u180B|\u180C|\u180D|\u180F/u;
const INVISIBLE_GLOBAL = new RegExp(INVISIBLE.source, 'gu');

/**
 * `"abc\u{202E}gpj.exe"` instead of a right-to-left override that would turn the message itself around. At most
 * MAX_SHOWN characters (code points, so a pair is never cut), then `..." (N characters)`.
 */
export function quoteForMessage(text: string): string {
  const characters = [...text];
  const shown = characters.slice(0, MAX_SHOWN).join('');
  const spelled = shown
    .replace(INVISIBLE_GLOBAL, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`)
    .replace(/"/g, '\\"');
  return characters.length > MAX_SHOWN ? `"${spelled}..." (${characters.length} characters)` : `"${spelled}"`;
}
