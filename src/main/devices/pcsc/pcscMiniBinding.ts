// PcscBinding over pcsc-mini, loaded on first use so the app still starts where its native addon cannot load.

import type * as PcscMini from 'pcsc-mini';
import type { PcscBinding, PcscCardHandle, PcscReaderHandle } from './pcscBinding.js';
import { PcscError } from './PcscError.js';

export async function loadPcscMini(): Promise<PcscBinding> {
  let pcsc: typeof PcscMini;
  try {
    pcsc = await import('pcsc-mini');
  } catch (error) {
    throw new PcscError(
      'service-unavailable',
      `PC/SC support could not be loaded on ${process.platform}-${process.arch}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return {
    watch(handlers) {
      const client = new pcsc.Client();
      client.on('reader', (reader) => handlers.onReader(readerHandle(pcsc, reader)));
      client.on('error', (error) => handlers.onError(error));
      client.start();
      return { stop: () => client.stop() };
    },
  };
}

function readerHandle(pcsc: typeof PcscMini, reader: PcscMini.Reader): PcscReaderHandle {
  return {
    name: reader.name(),
    onChange: (listener) => {
      // pcsc-mini 0.1.3 hands change events an ATR buffer with the right length but wrong bytes; the card handle reads the real one.
      reader.on('change', (status) => listener(status.raw));
    },
    onRemoved: (listener) => {
      reader.on('disconnect', listener);
    },
    connect: async () => cardHandle(pcsc, await reader.connect(pcsc.CardMode.SHARED)),
  };
}

function cardHandle(pcsc: typeof PcscMini, card: PcscMini.Card): PcscCardHandle {
  return {
    transmit: (apdu, output) => card.transmit(apdu, output),
    atr: async () => (await card.state()).atr,
    disconnect: () => card.disconnect(pcsc.CardDisposition.LEAVE),
  };
}
