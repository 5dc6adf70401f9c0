// Puts a virtual card into a vpcd reader: connects to vpcd over TCP on loopback and answers its APDUs with the card.

import { connect, type Socket } from 'node:net';
import { encodeResponseApdu, SerialQueue, StatusWord } from '../../../ctap/index.js';
import { virtualCardAtr } from '../../../ctap/virtual/index.js';
import { VPCD_PORTS, VpcdControl, VpcdFrameReader, encodeVpcdFrame } from './vpcdProtocol.js';

/** Anything that answers command APDUs with data + SW1 SW2, e.g. a VirtualNfcCard. */
export interface VirtualCard {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** Power off, power on and reset: the card starts afresh (a contactless card has left the field and come back). */
  reset?(): void;
  /** What the card answers to reset (a VirtualNfcCard has one). */
  readonly atr?: Uint8Array;
}

export interface VpcdClientOptions {
  /** Where vpcd listens. Keep it on loopback: vpcd has no authentication. @default '127.0.0.1' */
  host?: string;
  /** 35963 is reader "Virtual PCD 00 00", 35964 is "Virtual PCD 00 01". @default 35963 */
  port?: number;
  /** What the card answers to reset. @default the card's own, else a Latchkey virtual card's without extended APDUs */
  atr?: Uint8Array;
  /** How long to wait for vpcd to accept the connection. @default 3000 */
  connectTimeoutMs?: number;
}

export class VpcdError extends Error {
  override readonly name = 'VpcdError';
}

/** One virtual card in a vpcd reader. pcscd sees the card shortly after connect() and loses it on close(). */
export class VpcdClient {
  /** Resolves when the link has ended, by close() or because vpcd (pcscd) went away. */
  readonly closed: Promise<void>;
  /**
   * Resolves when vpcd first talks to the card (pcscd powers a new card up to read its ATR): the card is in the reader.
   * vpcd accepts a second connection on a port whose reader already holds a card and leaves it waiting, silent, until
   * the first one goes: until then the card is only queued.
   */
  readonly inReader: Promise<void>;
  #enteredReader: () => void = () => undefined;
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly socket: Socket,
    private readonly card: VirtualCard,
    private readonly atr: Uint8Array,
    readonly port: number,
  ) {
    const reader = new VpcdFrameReader();
    this.inReader = new Promise((resolve) => (this.#enteredReader = resolve));
    socket.on('data', (chunk: Buffer) => {
      this.#enteredReader();
      for (const message of reader.push(chunk)) this.enqueue(message);
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    // Whatever the card was doing, it has left the field.
    void this.closed.then(() => this.card.reset?.());
  }

  /** Connects `card` to vpcd; rejects with VpcdError when nothing listens there (pcscd not running, vpcd not installed). */
  static connect(card: VirtualCard, opts: VpcdClientOptions = {}): Promise<VpcdClient> {
    const host = opts.host ?? '127.0.0.1';
    const port = opts.port ?? VPCD_PORTS[0];
    const timeoutMs = opts.connectTimeoutMs ?? 3_000;
    const atr = opts.atr ?? card.atr ?? virtualCardAtr({ extendedApdu: false });
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const fail = (reason: string, cause?: unknown): void => {
        socket.destroy();
        reject(
          new VpcdError(
            `vpcd is not reachable on ${host}:${port} (${reason}): is pcscd running with the vsmartcard-vpcd driver?`,
            { cause },
          ),
        );
      };
      socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
      socket.once('error', (error) => fail(error.message, error));
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.removeAllListeners('error');
        // Errors after connecting (vpcd went away) end the link; `closed` reports it.
        socket.on('error', () => undefined);
        // Each answer is one write already; without this Nagle would hold it back behind the previous one.
        socket.setNoDelay(true);
        resolve(new VpcdClient(socket, card, atr, port));
      });
    });
  }

  /** Takes the card out of the reader. */
  async close(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }

  private enqueue(message: Uint8Array): void {
    this.queue.run(() => this.handle(message)).catch(() => undefined);
  }

  private async handle(message: Uint8Array): Promise<void> {
    if (message.length === 1) {
      switch (message[0]) {
        case VpcdControl.GET_ATR:
          this.send(this.atr);
          return;
        case VpcdControl.POWER_OFF:
        case VpcdControl.POWER_ON:
        case VpcdControl.RESET:
          this.card.reset?.();
          return;
        default:
          return;
      }
    }
    if (message.length === 0) return;
    let answer: Uint8Array;
    try {
      answer = await this.card.transmit(message);
    } catch {
      // A card bug must not hang pcscd's transmit: answer as a card with an internal error would.
      answer = encodeResponseApdu(new Uint8Array(0), StatusWord.NO_PRECISE_DIAGNOSIS);
    }
    this.send(answer);
  }

  private send(payload: Uint8Array): void {
    if (!this.socket.writable) return;
    this.socket.write(encodeVpcdFrame(payload));
  }
}
