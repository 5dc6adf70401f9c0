// An in-memory SmartCardConnection to a virtual card, for tests and for running the NFC stack without PC/SC.

import { TransportError } from '../../errors.js';
import type { SmartCardConnection } from '../../transport.js';
import { copyBytes } from '../../bytes.js';

/** Anything that answers command APDUs with data + SW1 SW2, e.g. a VirtualNfcCard. */
export interface ApduResponder {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** The card's ATR, handed out by the connection's atr() when present. */
  readonly atr?: Uint8Array;
}

/** A connection straight to `card`: APDUs are copied in both directions, and after close() every transmit rejects with TransportError('closed'). */
export function smartCardConnection(card: ApduResponder): SmartCardConnection {
  let closed = false;
  const atr = card.atr;
  return {
    ...(atr && { atr: async () => copyBytes(atr) }),
    async transmit(apdu: Uint8Array): Promise<Uint8Array> {
      if (closed) throw new TransportError('closed', 'the virtual card connection is closed');
      const answer = await card.transmit(copyBytes(apdu));
      return copyBytes(answer);
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
