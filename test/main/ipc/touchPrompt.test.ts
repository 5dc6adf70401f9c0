// The touch prompt as the window sees it: sent while the key waits for its touch, taken down once it came.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../../src/ipc/contract.js';
import { DesktopCore } from '../../../src/main/ipc/DesktopCore.js';
import { IpcDispatcher } from '../../../src/main/ipc/IpcDispatcher.js';
import { virtualKeySource } from '../../../src/main/services/index.js';
import { makeVirtualKey } from '../../support/virtualKeyFile.js';
import { testShell } from '../../support/testShell.js';

const ORIGIN = 'http://127.0.0.1:1';
const PAGE = `${ORIGIN}/index.html`;

let dir: string;
let core: DesktopCore;
let dispatcher: IpcDispatcher;
const events: { event: EventName; payload: unknown }[] = [];
let onEvent: (() => void) | undefined;
/** Touches wait here until the test lets them go. */
const touches: (() => void)[] = [];
/** The key's own signal for each touch it waits for: aborted when the client cancels the request. */
const waits: AbortSignal[] = [];
let holding = false;

function until(check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve) => {
    onEvent = () => {
      if (!check()) return;
      onEvent = undefined;
      resolve();
    };
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-touch-'));
  const keyFile = await makeVirtualKey(join(dir, 'key.json'));
  core = await DesktopCore.open({
    dataDir: join(dir, 'data'),
    shell: testShell(dir),
    send: (event, payload) => {
      events.push({ event, payload });
      onEvent?.();
    },
    keys: virtualKeySource({
      statePath: keyFile,
      presence: (request) => {
        if (!holding) return Promise.resolve(true);
        waits.push(request.signal);
        return new Promise((resolve) => touches.push(() => resolve(true)));
      },
    }),
  });
  dispatcher = new IpcDispatcher(core, { isTrustedSender: (url) => url.startsWith(`${ORIGIN}/`) });
  const created = await dispatcher.dispatch(
    'account:create',
    { email: 'ada@example.org', password: 'pw pw pw pw' },
    PAGE,
  );
  expect(created.ok).toBe(true);
});

afterAll(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the touch prompt', () => {
  it('is sent while the virtual key holds its touch, and closed once the key is touched', async () => {
    holding = true;
    const answer = dispatcher.dispatch('keys:add', { name: 'Desk key' }, PAGE);
    const touchPrompt = () =>
      events.find((e) => e.event === 'prompt' && (e.payload as { prompt: { kind: string } }).prompt.kind === 'touch');
    await until(() => touchPrompt() !== undefined && touches.length > 0);
    const { id } = touchPrompt()!.payload as { id: string };
    expect(events.some((e) => e.event === 'prompt:closed' && (e.payload as { id: string }).id === id)).toBe(false);

    holding = false;
    for (const touch of touches.splice(0)) touch();
    // The password-and-key account's first key rewraps the vault's password slot: the password is asked.
    await until(() =>
      events.some(
        (e) => e.event === 'prompt' && (e.payload as { prompt: { kind: string } }).prompt.kind === 'password',
      ),
    );
    const passwordPrompt = events.findLast((e) => e.event === 'prompt')!.payload as { id: string };
    await dispatcher.dispatch(
      'prompt:answer',
      { id: passwordPrompt.id, answer: { kind: 'secret', value: 'pw pw pw pw' } },
      PAGE,
    );
    expect(await answer).toMatchObject({ ok: true, value: { name: 'Desk key' } });
    expect(events.some((e) => e.event === 'prompt:closed' && (e.payload as { id: string }).id === id)).toBe(true);
  });

  it('is cancelled with the operation: the key stops waiting, the prompt closes, the call says it was cancelled', async () => {
    holding = true;
    events.length = 0;
    const answer = dispatcher.dispatch('keys:add', { name: 'Spare key' }, PAGE);
    const touchPrompt = () =>
      events.find((e) => e.event === 'prompt' && (e.payload as { prompt: { kind: string } }).prompt.kind === 'touch');
    await until(() => touchPrompt() !== undefined && touches.length > 0);
    const { id } = touchPrompt()!.payload as { id: string };
    expect(await dispatcher.dispatch('operation:cancel', {}, PAGE)).toEqual({ ok: true, value: null });
    expect(await answer).toMatchObject({ ok: false, error: { code: expect.stringMatching(/cancel/) } });
    expect(waits.at(-1)?.aborted).toBe(true);
    expect(events.some((e) => e.event === 'prompt:closed' && (e.payload as { id: string }).id === id)).toBe(true);
    // Nothing was registered: the account still has its one key.
    const keys = await dispatcher.dispatch('keys:list', {}, PAGE);
    expect(keys.ok && (keys.value as unknown[]).length).toBe(1);
    holding = false;
    touches.splice(0);
  });
});
