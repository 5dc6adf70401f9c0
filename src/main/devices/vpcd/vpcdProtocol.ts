// The vpcd wire protocol of vsmartcard (the pcscd reader driver a virtual card connects to) and a contactless-looking ATR.

/** vpcd's default ports: reader "Virtual PCD 00 00" listens on 35963, "Virtual PCD 00 01" on 35964. */
export const VPCD_PORTS = [35963, 35964] as const;

/** A one-byte message is a control from vpcd; everything longer is a command APDU. */
export const VpcdControl = {
  POWER_OFF: 0x00,
  POWER_ON: 0x01,
  RESET: 0x02,
  /** Answered with the ATR; the other controls get no answer. */
  GET_ATR: 0x04,
} as const;

/** Every message either way: a 2-byte big-endian length, then that many bytes. */
export function encodeVpcdFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > 0xffff) throw new RangeError(`vpcd message of ${payload.length} bytes exceeds 65535`);
  const frame = new Uint8Array(2 + payload.length);
  frame[0] = payload.length >> 8;
  frame[1] = payload.length & 0xff;
  frame.set(payload, 2);
  return frame;
}

/** Cuts a TCP byte stream into vpcd messages, however the stream splits or joins them. */
export class VpcdFrameReader {
  private pending = new Uint8Array(0);

  /** Adds received bytes and returns the messages they complete. */
  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    const messages: Uint8Array[] = [];
    let at = 0;
    while (joined.length - at >= 2) {
      const length = (joined[at]! << 8) | joined[at + 1]!;
      if (joined.length - at - 2 < length) break;
      messages.push(joined.slice(at + 2, at + 2 + length));
      at += 2 + length;
    }
    this.pending = joined.slice(at);
    return messages;
  }
}

/**
 * The ATR a PC/SC reader makes up for an ISO 14443-4 (contactless) card (PC/SC Part 3 supplement for contactless
 * cards): 3B 8n 80 01 (T=1), the n historical bytes from the card's ATS, and TCK, the XOR of T0 to the last byte.
 */
export function contactlessAtr(historicalBytes: Uint8Array): Uint8Array {
  if (historicalBytes.length > 15) throw new RangeError(`an ATR holds at most 15 historical bytes, got ${historicalBytes.length}`);
  const atr = Uint8Array.of(0x3b, 0x80 | historicalBytes.length, 0x80, 0x01, ...historicalBytes, 0);
  let tck = 0;
  for (let i = 1; i < atr.length - 1; i++) tck ^= atr[i]!;
  atr[atr.length - 1] = tck;
  return atr;
}

/** The ATR the virtual card presents: contactless, with "Latchkey" as historical bytes. */
export const LATCHKEY_ATR = contactlessAtr(new TextEncoder().encode('Latchkey'));
