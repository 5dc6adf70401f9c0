import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from '../../../src/ipc/contract.js';
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
const events: { event: string; payload: unknown }[] = [];

/** Every file of the data folder with its bytes: a refused call must leave all of them as they were. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path] = (await readFile(path)).toString('base64');
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-ipc-'));
  const keyFile = await makeVirtualKey(join(dir, 'key.json'));
  core = await DesktopCore.open({
    dataDir: join(dir, 'data'),
    shell: testShell(dir),
    send: (event, payload) => events.push({ event, payload }),
    keys: virtualKeySource({ statePath: keyFile }),
  });
  dispatcher = new IpcDispatcher(core, { isTrustedSender: (url) => url.startsWith(`${ORIGIN}/`) });
  // A signed-in account with an entry, so that garbage reaches past "signed out" if the contract let it through.
  const created = await dispatcher.dispatch(
    'account:create',
    { email: 'ada@example.org', password: 'correct horse battery' },
    PAGE,
  );
  expect(created.ok).toBe(true);
  const added = await dispatcher.dispatch(
    'vault:addEntry',
    { uri: 'otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP' },
    PAGE,
  );
  expect(added.ok).toBe(true);
});

afterAll(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];

describe('IpcDispatcher', () => {
  it('refuses a call from a page that is not the app, before parsing it', async () => {
    const answer = await dispatcher.dispatch('app:state', {}, 'https://evil.example/index.html');
    expect(answer).toEqual({ ok: false, error: expect.objectContaining({ code: 'untrusted-sender' }) });
  });

  it('refuses a channel the contract does not name', async () => {
    for (const name of ['app:eval', '__proto__', 'constructor', 42, null])
      expect(await dispatcher.dispatch(name, {}, PAGE)).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'invalid-request' }),
      });
  });

  it('answers garbage on every channel with a typed refusal and changes nothing on disk', async () => {
    const before = await snapshot(join(dir, 'data'));
    // Values no request schema accepts: every request is an object, strict, with required or bounded members.
    const garbage = fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.integer(),
      fc.string(),
      fc.array(fc.anything(), { maxLength: 3 }),
      fc.dictionary(
        fc.string({ minLength: 1 }).filter((k) => !['id', 'name', 'email'].includes(k)),
        fc.anything(),
        {
          minKeys: 1,
          maxKeys: 3,
        },
      ),
      fc.record({ id: fc.anything(), __proto__: fc.anything(), extra: fc.anything() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNEL_NAMES), garbage, async (channel, request) => {
        const parsed = CHANNELS[channel].request.safeParse(request);
        fc.pre(!parsed.success);
        const answer = await dispatcher.dispatch(channel, request, PAGE);
        expect(answer.ok).toBe(false);
        if (!answer.ok) {
          expect(answer.error.code).toBe('invalid-request');
          expect(answer.error.message).toContain(`The arguments of ${channel} do not fit`);
        }
      }),
      { numRuns: Number(process.env.LATCHKEY_FUZZ_RUNS ?? 300) },
    );
    expect(await snapshot(join(dir, 'data'))).toEqual(before);
  });

  it('names the member at fault in a refusal', async () => {
    const answer = await dispatcher.dispatch('keys:rename', { id: 'x', name: '' }, PAGE);
    expect(answer).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'invalid-request',
        field: 'name',
        message: expect.stringContaining('(name)'),
      }),
    });
  });

  it('turns a service refusal into one sentence with its code, never a stack trace', async () => {
    const answer = await dispatcher.dispatch('vault:removeEntry', { id: 'no-such-entry' }, PAGE);
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error.message).toMatch(/^[A-Z].*\.$/);
      expect(answer.error.message).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
  });

  it('tells the window the vault changed after a change, and not after a read or a copied code', async () => {
    const changes = () => events.filter((e) => e.event === 'vault:changed').length;
    events.length = 0;
    const list = await dispatcher.dispatch('vault:list', {}, PAGE);
    const id = list.ok ? (list.value as { entries: { id: string }[] }).entries[0]!.id : '';
    await dispatcher.dispatch('vault:codes', { ids: [id] }, PAGE);
    await dispatcher.dispatch('vault:copy', { id }, PAGE);
    expect(changes()).toBe(0);
    await dispatcher.dispatch('vault:setFavourite', { id, favourite: true }, PAGE);
    expect(changes()).toBe(1);
    // Already a favourite: nothing is written, so nothing changed.
    await dispatcher.dispatch('vault:setFavourite', { id, favourite: true }, PAGE);
    expect(changes()).toBe(1);
  });
});
