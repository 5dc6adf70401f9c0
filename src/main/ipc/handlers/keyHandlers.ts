// Handlers of the security keys' channels: the account's keys (list, register, rename, revoke) and the keys present.

import type { KeyView } from '../../../ipc/contract.js';
import type { VaultKeyWay } from '../../services/index.js';
import { modelForAaguid } from '../../../ctap/index.js';
import type { CredentialRecord } from '../../rp/index.js';
import type { DesktopCore } from '../DesktopCore.js';
import type { ChannelHandlers } from './ChannelHandler.js';

type KeyChannel = 'keys:list' | 'keys:add' | 'keys:rename' | 'keys:checkRevoke' | 'keys:revoke' | 'devices:list';

const NO_AAGUID = '00000000-0000-0000-0000-000000000000';

function keyView(key: CredentialRecord, ways: ReadonlyMap<string, VaultKeyWay>): KeyView {
  const model = key.authenticator.aaguid === NO_AAGUID ? undefined : modelForAaguid(key.authenticator.aaguid);
  return {
    id: key.id,
    name: key.display_name,
    addedAt: key.added_at,
    lastUsedAt: key.last_used_at,
    aaguid: key.authenticator.aaguid,
    ...(model === undefined ? {} : { model }),
    passwordless: key.is_passwordless,
    cloneWarning: key.authenticator.clone_warning,
    vaultUnlock: ways.get(key.id) ?? 'none',
    transports: [...key.transports],
  };
}

async function keyViews(core: DesktopCore): Promise<KeyView[]> {
  const ways = await core.session.vaultKeyWays();
  return core.session.listKeys().map((key) => keyView(key, ways));
}

export const keyHandlers: ChannelHandlers<KeyChannel> = {
  'keys:list': keyViews,

  async 'keys:add'(core, { name }) {
    const record = await core.prompter.withAnswers({}, () =>
      core.session.addKey(name === undefined ? {} : { displayName: name }),
    );
    return keyView(record, await core.session.vaultKeyWays());
  },

  async 'keys:rename'(core, { id, name }) {
    const record = await core.session.renameKey({ credentialId: id, displayName: name });
    return keyView(record, await core.session.vaultKeyWays());
  },

  async 'keys:checkRevoke'(core, { id }) {
    return core.session.checkRevoke(id);
  },

  async 'keys:revoke'(core, { id, turnOffKeyOnly }) {
    // The window asked the person already; the session's own question would be asked twice.
    await core.prompter.withAnswers({}, () =>
      core.session.revokeKey({
        credentialId: id,
        confirmed: true,
        ...(turnOffKeyOnly === undefined ? {} : { turnOffWebAuthnOnly: turnOffKeyOnly }),
      }),
    );
    return keyViews(core);
  },

  async 'devices:list'(core) {
    return core.devicesView();
  },
};
