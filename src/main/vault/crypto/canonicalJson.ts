// The one serialization of a JSON value: object members sorted by name, so every writer and the MAC agree on the bytes.

type Json = null | boolean | number | string | Json[] | { [name: string]: Json };

function sortMembers(value: unknown): Json {
  if (Array.isArray(value)) return value.map(sortMembers);
  if (value !== null && typeof value === 'object') {
    const sorted: { [name: string]: Json } = {};
    for (const name of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[name];
      if (member !== undefined) sorted[name] = sortMembers(member);
    }
    return sorted;
  }
  return value as Json;
}

/** Compact, sorted: what the slot set's MAC and the file checksum are computed over. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortMembers(value));
}

/** Sorted and indented by two spaces with a final newline: the vault file as written, readable in a diff. */
export function canonicalJsonText(value: unknown): string {
  return `${JSON.stringify(sortMembers(value), null, 2)}\n`;
}

/** Characters JSON.stringify escapes in a string: quote, backslash, controls and lone surrogates (well-formed JSON). */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify of a string, without its cost for the common case: it copies and scans even a string it leaves as
 * is, such as 10,000 base64 ciphertexts.
 */
export function jsonString(text: string): string {
  return ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** The two layouts: `compact` (canonicalJson), or indented text (canonicalJsonText) for a value nested `depth` deep. */
export type CanonicalLayout = 'compact' | { depth: number };

const INDENTS: string[] = [];

/** Two spaces per level: JSON.stringify's indent of 2. */
export function indentOf(depth: number): string {
  return (INDENTS[depth] ??= '  '.repeat(depth));
}

/**
 * The indented text of a value nested `depth` objects deep in a canonicalJsonText document, without the final newline:
 * what JSON.stringify would write there. A JSON string holds no raw newline, so each newline starts a line to indent.
 */
export function canonicalJsonAt(value: unknown, depth: number): string {
  const text = JSON.stringify(sortMembers(value), null, 2);
  return depth === 0 ? text : text.replaceAll('\n', `\n${indentOf(depth)}`);
}

/** A value's canonical form in either layout. */
export function canonicalJsonIn(value: unknown, layout: CanonicalLayout): string {
  return layout === 'compact' ? canonicalJson(value) : canonicalJsonAt(value, layout.depth);
}

/**
 * An object's canonical form built from its members' canonical forms, each given in the same layout (text at
 * `depth + 1` for an object at `depth`): a writer reuses the unchanged members of a large document, or serializes
 * records of a known shape faster than the generic walk, and the result is the bytes canonicalJson(Text) would give.
 * Sorts the names itself; `memberText` answers undefined for a member to leave out, as JSON.stringify leaves out
 * undefined.
 */
export function canonicalObject(
  names: Iterable<string>,
  memberText: (name: string) => string | undefined,
  layout: CanonicalLayout,
): string {
  const parts: string[] = [];
  const compact = layout === 'compact';
  for (const name of [...names].sort()) {
    const text = memberText(name);
    if (text === undefined) continue;
    parts.push(compact ? `${jsonString(name)}:${text}` : `${jsonString(name)}: ${text}`);
  }
  if (!parts.length) return '{}';
  if (compact) return `{${parts.join(',')}}`;
  const inner = `\n${indentOf(layout.depth + 1)}`;
  return `{${inner}${parts.join(`,${inner}`)}\n${indentOf(layout.depth)}}`;
}
