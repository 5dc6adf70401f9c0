// The API the renderer sees (`window.latchkey`), built from the IPC contract over any transport: Electron's
// ipcRenderer in the app, a Playwright binding in the end-to-end tests.

import {
  CHANNELS,
  EVENTS,
  type Answer,
  type AnswerOf,
  type Channel,
  type EventName,
  type EventOf,
  type RequestOf,
} from '../ipc/contract.js';
import { eventChannel, invokeChannel } from '../ipc/channelNames.js';

/** How calls and events travel: the only part that differs between Electron and the tests. */
export interface IpcTransport {
  invoke(channel: string, request: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export interface LatchkeyApi {
  /** Calls a channel of the contract; resolves to its answer or a refusal, never rejects. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Answer<AnswerOf<C>>>;
  /** Listens to an event of the contract until the returned function is called. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

/** Only the contract's channels and events go through: the renderer cannot name anything else. */
export function buildApi(transport: IpcTransport): LatchkeyApi {
  return Object.freeze({
    async call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Answer<AnswerOf<C>>> {
      if (!Object.hasOwn(CHANNELS, channel)) {
        return { ok: false, error: { code: 'invalid-request', message: `There is no channel "${String(channel)}".` } };
      }
      try {
        return (await transport.invoke(invokeChannel(channel), request)) as Answer<AnswerOf<C>>;
      } catch {
        // The main process answers every call; a rejection means the transport itself failed (window closing).
        return { ok: false, error: { code: 'ipc-failed', message: 'Latchkey’s main process did not answer.' } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
      if (!Object.hasOwn(EVENTS, event)) throw new RangeError(`There is no event "${String(event)}".`);
      return transport.subscribe(eventChannel(event), (payload) => listener(payload as EventOf<E>));
    },
  });
}
