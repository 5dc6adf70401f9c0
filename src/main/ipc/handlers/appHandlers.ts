// Handlers of the app's own channels: its state, activity for the idle lock, preferences, prompts, cancel.

import type { ChannelHandlers } from './ChannelHandler.js';

type AppChannel = 'app:state' | 'app:activity' | 'app:copy' | 'preferences:set' | 'prompt:answer' | 'operation:cancel';

export const appHandlers: ChannelHandlers<AppChannel> = {
  async 'app:state'(core) {
    return core.state();
  },

  async 'app:activity'(core) {
    core.activity();
    return null;
  },

  async 'app:copy'(core, { text }) {
    const seconds = core.preferences.clipboardClearSeconds;
    core.shell.copy(text, { clearAfterMs: seconds * 1000 });
    return { clearsInSeconds: seconds };
  },

  async 'preferences:set'(core, changes) {
    return core.setPreferences(changes);
  },

  async 'prompt:answer'(core, { id, answer }) {
    if (!core.prompter.answer(id, answer))
      throw new RangeError('that question is no longer asked (answered already, or the operation ended)');
    return null;
  },

  async 'operation:cancel'(core) {
    core.session.cancel();
    core.prompter.cancelAll();
    return null;
  },
};
