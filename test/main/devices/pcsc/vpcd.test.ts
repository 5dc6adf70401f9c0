// The vpcd client against a stand-in vpcd (a TCP server on loopback); lives beside the PC/SC tests it serves.

import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../src/ctap/bytes.js';
import { VpcdClient, VpcdError, type VirtualCard } from '../../../../src/main/devices/vpcd/VpcdClient.js';
import { virtualCardAtr } from '../../../../src/ctap/virtual/nfc/virtualCardAtr.js';
import { VpcdFrameReader, encodeVpcdFrame } from '../../../../src/main/devices/vpcd/vpcdProtocol.js';

describe('vpcd protocol', () => {
  it('frames messages with a 2-byte big-endian length', () => {
    expect(toHex(encodeVpcdFrame(fromHex('04')))).toBe('000104');
    expect(toHex(encodeVpcdFrame(new Uint8Array(0x123))).slice(0, 4)).toBe('0123');
  });

  it('reassembles messages however TCP splits or joins them', () => {
    const reader = new VpcdFrameReader();
    const stream = fromHex('0001040005' + '00a4040000' + '000101');
    const out: string[] = [];
    for (const byte of stream) out.push(...reader.push(Uint8Array.of(byte)).map(toHex));
    expect(out).toEqual(['04', '00a4040000', '01']);
    expect(reader.push(stream).map(toHex)).toEqual(['04', '00a4040000', '01']);
  });
});

/** A stand-in for vpcd: accepts one card and lets the test send it messages and read its answers. */
async function fakeVpcd(): Promise<{ server: Server; port: number; peer: Promise<Socket> }> {
  let accept!: (socket: Socket) => void;
  const peer = new Promise<Socket>((resolve) => (accept = resolve));
  const server = createServer((socket) => accept(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return { server, port: address.port, peer };
}

function ask(socket: Socket, payload: string): Promise<string> {
  const reader = new VpcdFrameReader();
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      const [message] = reader.push(chunk);
      if (message) {
        socket.off('data', onData);
        resolve(toHex(message));
      }
    };
    socket.on('data', onData);
    socket.write(encodeVpcdFrame(fromHex(payload)));
  });
}

describe('VpcdClient', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  function card(): VirtualCard & { resets: number; apdus: string[] } {
    return {
      resets: 0,
      apdus: [],
      async transmit(apdu) {
        this.apdus.push(toHex(apdu));
        if (apdu[1] === 0xff) throw new Error('card bug');
        return fromHex('9000');
      },
      reset() {
        this.resets++;
      },
    };
  }

  it('answers GET ATR with the ATR, APDUs with the card, and resets the card on power controls', async () => {
    const vpcd = await fakeVpcd();
    servers.push(vpcd.server);
    const c = card();
    const client = await VpcdClient.connect(c, { port: vpcd.port });
    const socket = await vpcd.peer;
    // A bare responder has no ATR of its own: it gets a virtual card's that promises no extended APDUs.
    expect(await ask(socket, '04')).toBe(toHex(virtualCardAtr({ extendedApdu: false })));
    socket.write(encodeVpcdFrame(fromHex('01')));
    socket.write(encodeVpcdFrame(fromHex('02')));
    expect(await ask(socket, '00a4040008a0000006472f000100')).toBe('9000');
    expect(c.resets).toBe(2);
    expect(c.apdus).toEqual(['00a4040008a0000006472f000100']);
    await client.close();
  });

  it('answers 6F00 when the card throws, instead of leaving pcscd waiting', async () => {
    const vpcd = await fakeVpcd();
    servers.push(vpcd.server);
    const client = await VpcdClient.connect(card(), { port: vpcd.port });
    expect(await ask(await vpcd.peer, '00ff0000')).toBe('6f00');
    await client.close();
  });

  it('reports the end of the link when vpcd goes away, and resets the card', async () => {
    const vpcd = await fakeVpcd();
    servers.push(vpcd.server);
    const c = card();
    const client = await VpcdClient.connect(c, { port: vpcd.port });
    (await vpcd.peer).destroy();
    await client.closed;
    expect(c.resets).toBe(1);
  });

  it('rejects with VpcdError naming the address when nothing listens', async () => {
    const vpcd = await fakeVpcd();
    await new Promise<void>((resolve) => vpcd.server.close(() => resolve()));
    const error = await VpcdClient.connect(card(), { port: vpcd.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VpcdError);
    expect((error as Error).message).toMatch(new RegExp(`127\\.0\\.0\\.1:${vpcd.port}.*pcscd.*vsmartcard-vpcd`));
  });
});
