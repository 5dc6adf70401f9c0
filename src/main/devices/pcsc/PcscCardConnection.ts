// A SmartCardConnection over one PC/SC card handle: APDUs one at a time, PC/SC failures as TransportError.

import {
  copyBytes,
  EXTENDED_MAX_NE,
  SerialQueue,
  type SmartCardConnection,
  TransportError,
} from '../../../ctap/index.js';
import type { PcscCardHandle } from './pcscBinding.js';
import { toTransportError } from './pcscErrors.js';

export class PcscCardConnection implements SmartCardConnection {
  private readonly queue = new SerialQueue();
  private closed = false;
  private cardGone = false;
  private atrRead: Promise<Uint8Array> | undefined;
  /** Room for the largest extended answer plus SW1 SW2; pcsc-mini's default buffer holds only a short one. */
  private readonly output = new ArrayBuffer(EXTENDED_MAX_NE + 2);

  constructor(
    private readonly card: PcscCardHandle,
    /** The reader the card sits on. */
    readonly readerName: string,
    /** Told once, when the connection closes. */
    private readonly onClosed?: (connection: PcscCardConnection) => void,
  ) {}

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    // PC/SC takes one APDU at a time per handle; a caller that timed out must not overtake the APDU still in flight.
    return this.queue.run(() => this.send(apdu));
  }

  /**
   * The card's answer to reset (for NFC readers, built by the reader from the card's ATS/ATQB). Read from pcscd once per
   * connection: it cannot change while the card stays, and discovery asks twice (to name the card, to pick the APDU form).
   */
  async atr(): Promise<Uint8Array> {
    this.atrRead ??= this.card.atr().then(
      (atr) => new Uint8Array(atr),
      (error: unknown) => {
        this.atrRead = undefined;
        throw toTransportError(error);
      },
    );
    return copyBytes(await this.atrRead);
  }

  /** The card left the reader: closes the connection, and later APDUs fail saying so. */
  cardLeft(): Promise<void> {
    this.cardGone = true;
    return this.close();
  }

  /** Leaves the card as it is for other applications; a card that is already gone is not an error. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClosed?.(this);
    await this.queue.drained();
    await this.card.disconnect().catch(() => undefined);
  }

  private async send(apdu: Uint8Array): Promise<Uint8Array> {
    if (this.closed) {
      throw new TransportError(
        'closed',
        this.cardGone
          ? `the card left the reader "${this.readerName}"`
          : `the connection to the card on "${this.readerName}" is closed`,
      );
    }
    try {
      // The answer is a view of the shared output buffer: copy it before the next APDU overwrites it.
      return copyBytes(await this.card.transmit(apdu, this.output));
    } catch (error) {
      throw toTransportError(error);
    }
  }
}
