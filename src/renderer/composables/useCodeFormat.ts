// How a code is shown: digits grouped for reading aloud and typing (123 456), Steam's letters as they come.

/** Groups of three, the last group taking the remainder when the length is not a multiple of three (1234 5678). */
export function formatCode(code: string, otpType: string): string {
  if (otpType === 'steamtotp' || !/^\d+$/.test(code)) return code;
  if (code.length === 8 || code.length === 10) return splitEvery(code, code.length / 2);
  return splitEvery(code, 3);
}

function splitEvery(text: string, size: number): string {
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += size) parts.push(text.slice(at, at + size));
  return parts.join(' ');
}

/** The seconds left before a code changes, from the main process's clock; never negative. */
export function secondsLeft(validUntil: number | undefined, now: number): number | undefined {
  if (validUntil === undefined || now === 0) return undefined;
  return Math.max(0, Math.ceil((validUntil - now) / 1000));
}
