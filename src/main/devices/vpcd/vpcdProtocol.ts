// The vpcd wire protocol of vsmartcard (the pcscd reader driver a virtual card connects to).

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
