// Overwrites secret bytes (passwords, codes, derived keys) with zeros once they are no longer needed.

/**
 * Zeroes every buffer given; undefined and null are skipped, so a `finally` can pass buffers that an early failure never
 * made. JavaScript strings cannot be zeroed: secrets travel as bytes wherever the API allows.
 */
export function zeroize(...buffers: (Uint8Array | undefined | null)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}
