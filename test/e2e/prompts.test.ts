// The prompts through the UI: a key's PIN (a wrong one first, with the attempts left), then the touch it waits for.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceHandler } from '../../src/ctap/virtual/index.js';
import { TEST_PIN, launchApp, makeVirtualKey, openBrowser, type LaunchedApp } from './support/launchApp.js';
import {
  answerPinPrompt,
  expectAccessible,
  expectSignedIn,
  firstRun,
  goTo,
  gone,
  lock,
  pinDialog,
  screenshot,
  visible,
  PASSWORD,
} from './support/accountSteps.js';

/** The person at the key: touches at once, or holds the touch until the test lets go. */
function personAtTheKey() {
  let holding = false;
  const waiting: (() => void)[] = [];
  const presence: PresenceHandler = () =>
    holding ? new Promise((resolve) => waiting.push(() => resolve(true))) : Promise.resolve(true);
  return {
    presence,
    hold() {
      holding = true;
    },
    touch() {
      holding = false;
      for (const release of waiting.splice(0)) release();
    },
  };
}

let browser: Browser;
let app: LaunchedApp;
const person = personAtTheKey();

beforeAll(async () => {
  browser = await openBrowser();
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-'));
  const keyFile = await makeVirtualKey(join(dataDir, 'key.json'), { pin: TEST_PIN });
  app = await launchApp(browser, { dataDir, keyFile, presence: person.presence });
  await firstRun(app, { pin: TEST_PIN });
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('PIN and touch prompts, in order', () => {
  it('requires user verification from Settings > Security keys', async () => {
    await goTo(app.page, 'Security keys');
    const section = app.page.getByRole('region', { name: 'User verification' });
    await section.getByRole('radio', { name: 'Required' }).check();
    await visible(section.getByText('Saved'));
    expect((await app.core.state()).userVerification).toBe('required');
  });

  it('asks the PIN at sign-in, says a wrong one was wrong with the attempts left, then takes the right one', async () => {
    const { page } = app;
    await lock(app);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    const dialog = await visible(pinDialog(page));
    await expect(dialog.getByText('8 attempts left before the key blocks its PIN.').isVisible()).resolves.toBe(true);
    await answerPinPrompt(app, '0000');
    await visible(dialog.getByText('That PIN was wrong.'));
    await visible(dialog.getByText('7 attempts left before the key blocks its PIN.'));
    await expect(dialog.getByLabel('PIN', { exact: true }).inputValue()).resolves.toBe('');
    await expectAccessible(page, 'PIN prompt');
    await screenshot(page, 'pin-prompt-light');

    // The right PIN; the key then waits for its touch, and the touch prompt says so until it comes.
    person.hold();
    await answerPinPrompt(app, TEST_PIN);
    const touch = await visible(page.getByRole('dialog', { name: 'Touch your key' }));
    await visible(touch.getByText(/^Touch virtual .+ to go on\.$/));
    await expectAccessible(page, 'touch prompt');
    person.touch();
    await gone(touch);
    await expectSignedIn(page);
    expect(await app.core.state()).toMatchObject({ vault: 'open' });
  });

  it('never sent the PIN to the page', () => {
    const leaked = app.traffic.filter((r) => r.direction !== 'call' && /"(0000|4711)"/.test(JSON.stringify(r.payload)));
    expect(leaked).toEqual([]);
  });
});
