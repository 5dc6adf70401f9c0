// Reads all of stdin as bytes, for a secret or URI piped in (`pass show github | latchkey entry add --secret-stdin`).

/** The caller zeroes the bytes. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const all = Buffer.concat(chunks);
  for (const chunk of chunks) chunk.fill(0);
  return all;
}
