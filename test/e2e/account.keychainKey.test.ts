// A key without hmac-secret (a U2F key) in the desktop app: its vault slot goes through the OS keychain (a stand-in
// here: Electron's safeStorage cannot run), the Security keys screen says so and why it is weaker, and sign-in with
// the password and the key opens the vault.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestKeychain } from '../support/testKeychain.js';
import { launchApp, makeVirtualKey, openBrowser, type LaunchedApp } from './support/launchApp.js';
import {
  expectAccessible,
  firstRun,
  goTo,
  lock,
  screenshot,
  signInWithPassword,
  visible,
} from './support/accountSteps.js';

let browser: Browser;
let app: LaunchedApp;
const keychain = new TestKeychain();

beforeAll(async () => {
  browser = await openBrowser();
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-'));
  app = await launchApp(browser, {
    dataDir,
    keyFile: await makeVirtualKey(join(dataDir, 'key.json'), { profile: 'u2fOnly' }),
    keychain,
  });
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('a U2F key in the desktop app', () => {
  it('gets a vault slot through the OS keychain, shown as weaker with the reason', async () => {
    await firstRun(app, { keyName: 'Old U2F key' });
    expect(keychain.sealedCount).toBeGreaterThan(0);
    await goTo(app.page, 'Security keys');
    await visible(app.page.getByText('Opens the vault through the OS keychain (weaker)'));
    await visible(app.page.getByRole('note').filter({ hasText: /any program running as you can ask/ }));
    expect(app.core.session.listKeys()).toHaveLength(1);
    await expectAccessible(app.page, 'security keys, a key opening the vault through the OS keychain');
    await screenshot(app.page, 'security-keys-keychain-light');
  });

  it('signs in with the password and the key, and the vault opens through the keychain', async () => {
    await lock(app);
    const opened = keychain.openedCount;
    await signInWithPassword(app);
    expect(await app.core.state()).toMatchObject({ vault: 'open', account: { signInMode: 'password-and-key' } });
    expect(keychain.openedCount).toBeGreaterThan(opened);
  });
});
