// Handlers of the account's channels: create, sign in, recover, lock, password, recovery code, sign-in mode, policy.

import { accountView } from '../DesktopCore.js';
import type { ChannelHandlers } from './ChannelHandler.js';

type AccountChannel =
  | 'account:create'
  | 'account:signIn'
  | 'account:recover'
  | 'account:lock'
  | 'account:changePassword'
  | 'account:regenerateRecoveryCode'
  | 'account:checkSignInMode'
  | 'account:setSignInMode'
  | 'account:setUserVerification';

export const accountHandlers: ChannelHandlers<AccountChannel> = {
  async 'account:create'(core, { email, password }) {
    const { session, prompter } = core;
    const created = await prompter.withAnswers({ 'new-password': password }, () => session.signUp({ email }));
    // The first run goes on signed in (the recovery code, then a key to register): the password was just typed.
    await prompter.withAnswers({ password }, () => session.signIn({ email: created.user.email, prefer: 'password' }));
    core.signedIn();
    return { account: accountView(session.account()), recoveryCode: created.recoveryCode };
  },

  async 'account:signIn'(core, { email, method, password }) {
    if (method === 'password' && password === undefined)
      throw new RangeError('signing in with the password needs the password');
    const answers = method === 'password' && password !== undefined ? { password } : {};
    await core.prompter.withAnswers(answers, () =>
      core.session.signIn({ ...(email === undefined ? {} : { email }), prefer: method }),
    );
    core.signedIn();
    return core.state();
  },

  async 'account:recover'(core, { email, password, recoveryCode, keyName }) {
    const result = await core.prompter.withAnswers({ password, 'recovery-code': recoveryCode }, () =>
      core.session.recover({
        ...(email === undefined ? {} : { email }),
        ...(keyName === undefined ? {} : { displayName: keyName }),
      }),
    );
    core.signedIn();
    return { account: accountView(core.session.account()), recoveryCode: result.recoveryCode };
  },

  async 'account:lock'(core) {
    core.lock('manual');
    return null;
  },

  async 'account:changePassword'(core, { current, next }) {
    const account = await core.prompter.withAnswers({ password: current, 'new-password': next }, () =>
      core.session.changePassword(),
    );
    return accountView(account);
  },

  async 'account:regenerateRecoveryCode'(core, { password }) {
    const recoveryCode = await core.prompter.withAnswers(password === undefined ? {} : { password }, () =>
      core.session.regenerateRecoveryCode(),
    );
    return { recoveryCode };
  },

  async 'account:checkSignInMode'(core, { mode }) {
    return core.session.checkSignInMode(mode);
  },

  async 'account:setSignInMode'(core, { mode }) {
    return accountView(await core.prompter.withAnswers({}, () => core.session.setSignInMode(mode)));
  },

  async 'account:setUserVerification'(core, { policy }) {
    const settings = await core.session.setUserVerification(policy);
    return { userVerification: settings.user_verification };
  },
};
