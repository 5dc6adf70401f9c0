// Where the rolling backups of a data file live: `<file>.bak-1` is the newest, `<file>.bak-N` the oldest kept.

export function backupPath(file: string, generation: number): string {
  if (!Number.isInteger(generation) || generation < 1)
    throw new RangeError(`backup generation must be 1 or more, got ${generation}`);
  return `${file}.bak-${generation}`;
}
