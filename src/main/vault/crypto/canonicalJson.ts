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
