// How long ago something happened, in the largest whole unit, for messages about backups ("3 hours").

const UNITS: readonly [string, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "2 days", "1 hour", "less than a second"; a time in the future (a clock moved back) counts as now. */
export function describeAge(ms: number): string {
  for (const [unit, size] of UNITS) {
    const count = Math.floor(ms / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'}`;
  }
  return 'less than a second';
}
