import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src/ipc/contract.js';
import { launchApp, openBrowser, type LaunchedApp } from './support/launchApp.js';

let browser: Browser;
let app: LaunchedApp;

beforeAll(async () => {
  browser = await openBrowser();
  app = await launchApp(browser);
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('window.latchkey in the page', () => {
  it('is the contract API, frozen, without ipcRenderer or any other way out', async () => {
    const shape = await app.page.evaluate(() => ({
      keys: Object.keys(window.latchkey).sort(),
      frozen: Object.isFrozen(window.latchkey),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(shape).toEqual({ keys: ['call', 'on'], frozen: true, require: 'undefined', process: 'undefined' });
  });

  it('answers calls and delivers events through the same contract', async () => {
    const state = await app.page.evaluate(() => window.latchkey.call('app:state', {}));
    expect(state).toMatchObject({ ok: true, value: { accounts: [], vault: 'none' } });
    const created = await app.page.evaluate(() =>
      window.latchkey.call('account:create', { email: 'ada@example.org', password: 'correct horse battery' }),
    );
    expect(created).toMatchObject({ ok: true, value: { account: { email: 'ada@example.org' } } });
    const locked = app.page.evaluate(
      () => new Promise((resolve) => window.latchkey.on('locked', (event) => resolve(event.reason))),
    );
    await app.page.evaluate(() => window.latchkey.call('account:lock', {}));
    expect(await locked).toBe('manual');
  });

  it('refuses garbage on every channel from the page, with a typed answer', async () => {
    const answers = await app.page.evaluate(async (channels) => {
      const garbage: unknown[] = [null, 7, 'x', [1, 2], { bogus: true }, { id: { nested: [new Uint8Array(3)] } }];
      const out: { channel: string; ok: boolean; code?: string }[] = [];
      for (const channel of channels)
        for (const request of garbage) {
          const answer = await window.latchkey.call(channel as 'app:state', request as never);
          out.push({ channel, ok: answer.ok, ...(answer.ok ? {} : { code: answer.error.code }) });
        }
      return out;
    }, Object.keys(CHANNELS));
    expect(answers.filter((a) => a.ok || a.code !== 'invalid-request')).toEqual([]);
  });

  it('carries bytes across (a picture for a QR scan) and refuses one without a QR code in words', async () => {
    await app.page.evaluate(() =>
      window.latchkey.call('account:signIn', {
        method: 'password',
        email: 'ada@example.org',
        password: 'correct horse battery',
      }),
    );
    const answer = await app.page.evaluate(() =>
      window.latchkey.call('import:scan', { image: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) }),
    );
    expect(answer).toMatchObject({ ok: false });
    if (!answer.ok) expect(answer.error.message).toMatch(/^[A-Z].*\.$/);
  });
});
