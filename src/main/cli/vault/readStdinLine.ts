// The first line of stdin as bytes, for a password piped in (`--password-stdin`): the rest of what was read is zeroed.

import { readStdin } from './readStdin.js';

/** The caller zeroes the bytes. A final CR (a file written on Windows) is not part of the line. */
export async function readStdinLine(): Promise<Buffer> {
  const all = await readStdin();
  const newline = all.indexOf(0x0a);
  let end = newline < 0 ? all.length : newline;
  if (end > 0 && all[end - 1] === 0x0d) end -= 1;
  const line = Buffer.from(all.subarray(0, end));
  all.fill(0);
  return line;
}
