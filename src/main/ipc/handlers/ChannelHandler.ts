// The shape of a channel's handler: the request as the contract parsed it, the core, the answer the contract names.

import type { z } from 'zod';
import type { AnswerOf, Channel, CHANNELS } from '../../../ipc/contract.js';
import type { DesktopCore } from '../DesktopCore.js';

export type ParsedRequest<C extends Channel> = z.output<(typeof CHANNELS)[C]['request']>;

export type ChannelHandler<C extends Channel> = (core: DesktopCore, request: ParsedRequest<C>) => Promise<AnswerOf<C>>;

export type ChannelHandlers<C extends Channel> = { [K in C]: ChannelHandler<K> };
