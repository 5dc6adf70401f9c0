// The entry ids of the kill -9 test: a UUID that encodes the run and the write, so the parent can tell them apart.

/** Run and write index as a version-4-shaped lower-case UUID (the vault accepts only those). */
export function entryId(run: number, index: number): string {
  const r = run.toString(16).padStart(8, '0');
  const i = index.toString(16).padStart(12, '0');
  return `${r}-0000-4000-8000-${i}`;
}
