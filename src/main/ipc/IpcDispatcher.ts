// Where every call from a window lands: the sender checked, the arguments parsed by the contract, then the handler.

import { CHANNELS, type Answer, type Channel } from '../../ipc/contract.js';
import { SerialQueue } from '../../ctap/index.js';
import type { DesktopCore } from './DesktopCore.js';
import { errorView, invalidRequest } from './errorView.js';
import { CHANNEL_HANDLERS, type ChannelHandler } from './handlers/index.js';

/**
 * Channels that answer at once, beside an operation in progress: the answer to the prompt that operation waits for,
 * its cancel, and reads. Every other channel waits its turn, so that two operations never share the prompter (the
 * password typed for one must not answer the other) nor the keys.
 */
const BESIDE_OPERATIONS: ReadonlySet<Channel> = new Set<Channel>([
  'prompt:answer',
  'operation:cancel',
  'app:state',
  'app:activity',
  'app:copy',
  'account:lock',
  'devices:list',
  'vault:list',
  'vault:codes',
  'vault:icon',
  'keys:list',
  'keys:checkRevoke',
  'account:checkSignInMode',
]);

export interface IpcDispatcherOptions {
  /** Whether a call comes from the app's own page (its URL); anything else is refused before it is parsed. */
  isTrustedSender(url: string): boolean;
}

export class IpcDispatcher {
  readonly #core: DesktopCore;
  readonly #options: IpcDispatcherOptions;
  readonly #operations = new SerialQueue();

  constructor(core: DesktopCore, options: IpcDispatcherOptions) {
    this.#core = core;
    this.#options = options;
  }

  /** Never rejects: a refusal is an answer, and nothing changed when the arguments were wrong. */
  async dispatch(channel: unknown, request: unknown, senderUrl: string): Promise<Answer<unknown>> {
    if (!this.#options.isTrustedSender(senderUrl))
      return {
        ok: false,
        error: { code: 'untrusted-sender', message: 'Calls are taken from Latchkey’s own window only.' },
      };
    if (typeof channel !== 'string' || !Object.hasOwn(CHANNELS, channel))
      return {
        ok: false,
        error: { code: 'invalid-request', message: `There is no channel "${String(channel).slice(0, 60)}".` },
      };
    const name = channel as Channel;
    const parsed = CHANNELS[name].request.safeParse(request);
    if (!parsed.success) return { ok: false, error: invalidRequest(name, parsed.error) };
    const handler = CHANNEL_HANDLERS[name] as ChannelHandler<Channel>;
    const run = async (): Promise<Answer<unknown>> => {
      // The window reloads its list when the vault's state changed during the call: a change of its own, or another
      // writer's (the CLI) that the call read from the file. A code copied or a list read changes nothing.
      const before = this.#core.session.vaultState;
      try {
        const value = await handler(this.#core, parsed.data as never);
        const after = this.#core.session.vaultState;
        if (after !== undefined && after !== before) this.#core.notifyVaultChanged();
        return { ok: true, value };
      } catch (error) {
        return { ok: false, error: errorView(error) };
      }
    };
    return BESIDE_OPERATIONS.has(name) ? run() : this.#operations.run(run);
  }
}
