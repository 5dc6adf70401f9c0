// The Electron channel names of the contract's calls and events: namespaced, so nothing else on IPC can collide.

import type { Channel, EventName } from './contract.js';

export function invokeChannel(channel: Channel): string {
  return `latchkey:call:${channel}`;
}

export function eventChannel(event: EventName): string {
  return `latchkey:event:${event}`;
}
