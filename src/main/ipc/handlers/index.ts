// Every channel's handler, checked complete against the contract by the type system.

import type { Channel } from '../../../ipc/contract.js';
import { accountHandlers } from './accountHandlers.js';
import { appHandlers } from './appHandlers.js';
import type { ChannelHandlers } from './ChannelHandler.js';
import { keyHandlers } from './keyHandlers.js';
import { transferHandlers } from './transferHandlers.js';
import { vaultHandlers } from './vaultHandlers.js';

export const CHANNEL_HANDLERS: ChannelHandlers<Channel> = {
  ...appHandlers,
  ...accountHandlers,
  ...keyHandlers,
  ...vaultHandlers,
  ...transferHandlers,
};

export type { ChannelHandler, ChannelHandlers, ParsedRequest } from './ChannelHandler.js';
