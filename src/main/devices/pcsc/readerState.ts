// PC/SC reader state flags (SCARD_STATE_* of PC/SC Part 5 / winscard.h), the same numbers on pcsc-lite, macOS and Windows.

export const ReaderState = {
  IGNORE: 0x0001,
  CHANGED: 0x0002,
  UNKNOWN: 0x0004,
  UNAVAILABLE: 0x0008,
  EMPTY: 0x0010,
  PRESENT: 0x0020,
  ATRMATCH: 0x0040,
  EXCLUSIVE: 0x0080,
  INUSE: 0x0100,
  MUTE: 0x0200,
  UNPOWERED: 0x0400,
} as const;

/** A card we can talk to: present and answering (a mute card gave no usable ATR). */
export function hasUsableCard(state: number): boolean {
  return (state & ReaderState.PRESENT) !== 0 && (state & ReaderState.MUTE) === 0;
}
