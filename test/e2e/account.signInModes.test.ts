// Each sign-in mode set from Settings > Security keys and then used; the key alone; a second key; revoking keys.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PIN, launchApp, makeVirtualKey, openBrowser, type LaunchedApp } from './support/launchApp.js';
import {
  PASSWORD,
  answerPromptsUntil,
  expectAccessible,
  expectSignedIn,
  firstRun,
  goTo,
  lock,
  screenshot,
  setSignInMode,
  signInWithPassword,
  visible,
} from './support/accountSteps.js';

let browser: Browser;
let app: LaunchedApp;
let dataDir: string;

beforeAll(async () => {
  browser = await openBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-'));
  // A key alone signs in only with user verification: the keys have a PIN.
  const keyFile = await makeVirtualKey(join(dataDir, 'desk-key.json'), { pin: TEST_PIN });
  app = await launchApp(browser, { dataDir, keyFile });
  await firstRun(app, { pin: TEST_PIN });
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

/** "Sign in with your key" with no email typed: the key itself says whose it is (a discoverable credential). */
async function signInWithKeyAlone(): Promise<void> {
  const { page } = app;
  await page.getByLabel('Email').fill('');
  await page.getByRole('button', { name: 'Sign in with your key' }).click();
  await answerPromptsUntil(app, page.getByRole('navigation', { name: 'Main' }), { pin: TEST_PIN });
  await expectSignedIn(page);
}

describe('sign-in modes, in order', () => {
  it('shows the account’s keys and the modes in Settings > Security keys, light and dark', async () => {
    const { page } = app;
    await goTo(page, 'Security keys');
    await visible(page.getByRole('heading', { name: 'Desk key', level: 3 }));
    await visible(page.getByText('One key registered.'));
    await expectAccessible(page, 'security keys');
    await screenshot(page, 'security-keys-light');

    await goTo(page, 'General settings');
    await page.getByLabel('Theme').selectOption({ label: 'Dark' });
    await visible(page.getByText('Saved'));
    await goTo(page, 'Security keys');
    await visible(page.getByRole('heading', { name: 'Desk key', level: 3 }));
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await expectAccessible(page, 'security keys, dark');
    await screenshot(page, 'security-keys-dark');
    await goTo(page, 'General settings');
    await page.getByLabel('Theme').selectOption({ label: 'Same as the system' });
    await visible(page.getByText('Saved'));
  });

  it('password or key: the key alone signs in, no email typed', async () => {
    await goTo(app.page, 'Security keys');
    await setSignInMode(app, 'password-or-key', { password: PASSWORD, pin: TEST_PIN });
    await lock(app);
    await visible(app.page.getByRole('button', { name: 'Sign in using login & password' }));
    await signInWithKeyAlone();
    expect(await app.core.state()).toMatchObject({ vault: 'open', account: { signInMode: 'password-or-key' } });
  });

  it('password or key: the password alone signs in too', async () => {
    await lock(app);
    await signInWithPassword(app);
    expect(await app.core.state()).toMatchObject({ vault: 'open' });
  });

  it('key only: no password form on the sign-in screen, the key alone signs in', async () => {
    await goTo(app.page, 'Security keys');
    await setSignInMode(app, 'key-only', { password: PASSWORD, pin: TEST_PIN });
    // No password left to change.
    await expect(app.page.getByRole('heading', { name: 'Password', exact: true }).count()).resolves.toBe(0);
    await lock(app);
    await visible(app.page.getByRole('button', { name: 'Sign in with your key' }));
    await expect(app.page.getByRole('button', { name: 'Sign in using login & password' }).count()).resolves.toBe(0);
    await signInWithKeyAlone();
    expect(await app.core.state()).toMatchObject({ vault: 'open', account: { signInMode: 'key-only' } });
  });

  it('key only: revoking the last key is refused, and the row says why before anything happens', async () => {
    const { page } = app;
    await goTo(page, 'Security keys');
    await page.getByRole('button', { name: 'Revoke Desk key' }).click();
    const reason = await visible(page.getByRole('listitem').getByRole('alert'));
    expect(await reason.innerText()).toMatch(/\w.*\./);
    await expect(page.getByRole('alertdialog').count()).resolves.toBe(0);
    expect(app.core.session.listKeys()).toHaveLength(1);
  });

  it('password and key: the password form alone, then the key', async () => {
    await setSignInMode(app, 'password-and-key', { password: PASSWORD, pin: TEST_PIN });
    await lock(app);
    await expect(app.page.getByRole('button', { name: 'Sign in with your key' }).count()).resolves.toBe(0);
    await visible(
      app.page.getByText('After your password, Latchkey asks for a touch of your key, if one is registered.'),
    );
    await signInWithPassword(app, { pin: TEST_PIN });
    expect(await app.core.state()).toMatchObject({ vault: 'open', account: { signInMode: 'password-and-key' } });
  });

  it('registers a second key (another launch, another key) and revokes the first, confirmed', async () => {
    await goTo(app.page, 'Security keys');
    await setSignInMode(app, 'password-or-key', { password: PASSWORD, pin: TEST_PIN });
    await app.close();
    const travelKey = await makeVirtualKey(join(dataDir, 'travel-key.json'), { pin: TEST_PIN });
    app = await launchApp(browser, { dataDir, keyFile: travelKey });
    const { page } = app;
    await visible(page.getByRole('heading', { name: 'Sign in to Latchkey' }));
    await signInWithPassword(app);

    await goTo(page, 'Security keys');
    await page.getByLabel('Name of the new key (optional)').fill('Travel key');
    await page.getByRole('button', { name: 'Register a key', exact: true }).click();
    await answerPromptsUntil(app, page.getByText('Key registered: Travel key.'), { pin: TEST_PIN, password: PASSWORD });
    await visible(page.getByText('2 keys registered.'));

    await page.getByRole('button', { name: 'Revoke Desk key' }).click();
    const confirm = await visible(page.getByRole('alertdialog', { name: 'Revoke Desk key?' }));
    await expectAccessible(page, 'revoke confirmation');
    await confirm.getByRole('button', { name: 'Revoke for good' }).click();
    await visible(page.getByText('Desk key was revoked.'));
    await visible(page.getByText('One key registered.'));
    expect(app.core.session.listKeys().map((k) => k.display_name)).toEqual(['Travel key']);

    await lock(app);
    await signInWithKeyAlone();
  });
});
