// The account: create, sign in, recover, lock, and its security settings (password, recovery code, sign-in mode, UV).

import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AccountView, RequestOf } from '../../ipc/contract';
import { SIGN_IN_MODES, USER_VERIFICATION_POLICIES } from '../../ipc/contract';
import { call } from '../services/api';
import { useSessionStore } from './session';

export type SignInMode = (typeof SIGN_IN_MODES)[number];
export type UserVerificationPolicy = (typeof USER_VERIFICATION_POLICIES)[number];

export const useAccountStore = defineStore('account', () => {
  const session = useSessionStore();

  /**
   * A flow that must keep its screen although the main process has already signed the person in: first run and
   * recovery still show the recovery code (and first run registers a key) before the app appears.
   */
  const flow = ref<'first-run' | 'recover' | undefined>();

  /** Creates the account; the main process signs it in. The recovery code is the caller's to show once and drop. */
  async function create(request: RequestOf<'account:create'>): Promise<{ account: AccountView; recoveryCode: string }> {
    flow.value = 'first-run';
    return call('account:create', request);
  }

  async function signIn(request: RequestOf<'account:signIn'>): Promise<void> {
    session.apply(await call('account:signIn', request));
  }

  async function recover(
    request: RequestOf<'account:recover'>,
  ): Promise<{ account: AccountView; recoveryCode: string }> {
    flow.value = 'recover';
    try {
      return await call('account:recover', request);
    } catch (error) {
      flow.value = undefined;
      throw error;
    }
  }

  /** The flow is over: the app shows what the main process says now (signed in, with the vault open). */
  async function finishFlow(): Promise<void> {
    flow.value = undefined;
    await session.refresh();
  }

  async function lock(): Promise<void> {
    await call('account:lock', {});
    await session.refresh();
  }

  async function changePassword(request: RequestOf<'account:changePassword'>): Promise<void> {
    updateAccount(await call('account:changePassword', request));
  }

  async function regenerateRecoveryCode(password?: string): Promise<string> {
    const { recoveryCode } = await call('account:regenerateRecoveryCode', password === undefined ? {} : { password });
    if (session.state?.account) updateAccount({ ...session.state.account, hasRecoveryCode: true });
    return recoveryCode;
  }

  async function checkSignInMode(mode: SignInMode) {
    return call('account:checkSignInMode', { mode });
  }

  async function setSignInMode(mode: SignInMode): Promise<void> {
    updateAccount(await call('account:setSignInMode', { mode }));
  }

  async function setUserVerification(policy: UserVerificationPolicy): Promise<void> {
    const { userVerification } = await call('account:setUserVerification', { policy });
    if (session.state) session.state = { ...session.state, userVerification };
  }

  /** Copies a recovery code being shown, as codes are copied (out of clipboard history, cleared after the delay). */
  async function copyRecoveryCode(code: string): Promise<void> {
    await call('app:copy', { text: code });
  }

  function updateAccount(account: AccountView): void {
    if (session.state) session.state = { ...session.state, account };
  }

  return {
    flow,
    create,
    signIn,
    recover,
    finishFlow,
    lock,
    changePassword,
    regenerateRecoveryCode,
    copyRecoveryCode,
    checkSignInMode,
    setSignInMode,
    setUserVerification,
  };
});
