// General settings and Keys present through the UI, and the idle lock they set (an idle "minute" shortened to ms).

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceManager, type HidBackend } from '../../src/main/devices/index.js';
import { launchApp, makeVirtualKey, openBrowser, type LaunchedApp } from './support/launchApp.js';
import {
  expectAccessible,
  firstRun,
  goTo,
  screenshot,
  signInHeading,
  visible,
  PASSWORD,
} from './support/accountSteps.js';

/** A YubiKey on USB that Linux lets only root open (no udev rule yet): listed, and its open refused. */
const deniedUsbKey: HidBackend = {
  devicesAsync: async () => [
    {
      path: '/dev/hidraw3',
      vendorId: 0x1050,
      productId: 0x0407,
      product: 'YubiKey OTP+FIDO+CCID',
      manufacturer: 'Yubico',
      usagePage: 0xf1d0,
      usage: 0x01,
    },
  ],
  open: async (path) => {
    throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
  },
};

let browser: Browser;
let dataDir: string;
let keyFile: string;

beforeAll(async () => {
  browser = await openBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-'));
  keyFile = await makeVirtualKey(join(dataDir, 'key.json'));
});

afterAll(async () => {
  await browser?.close();
});

describe('settings, then the idle lock, in order', () => {
  it('shows Keys present and General settings, and sets auto-lock to one minute', async () => {
    const devices = new DeviceManager({ hid: deniedUsbKey, pcsc: false, hidPollIntervalMs: 200 });
    await devices.start();
    const app = await launchApp(browser, { dataDir, keyFile, devices });
    try {
      const { page } = app;
      await firstRun(app);

      await goTo(page, 'Keys present');
      await visible(page.getByRole('heading', { name: 'Connected keys' }));
      // The key is there and cannot be used: what to do is said, with the command to run.
      await visible(page.getByText('Cannot be used'));
      await visible(
        page
          .getByRole('region', { name: 'Command to run in a terminal' })
          .or(page.getByLabel('Command to run in a terminal')),
      );
      await expectAccessible(page, 'keys present');
      await screenshot(page, 'keys-present-light');

      await goTo(page, 'General settings');
      const autoLock = page.getByLabel('Lock after this many minutes without activity');
      await expect(autoLock.inputValue()).resolves.toBe('5');
      await expectAccessible(page, 'general settings');
      await screenshot(page, 'general-settings-light');

      // Out of range: said next to the field, nothing saved.
      await autoLock.fill('-3');
      await autoLock.press('Enter');
      await visible(page.getByText('Type a whole number from 0 to 1440.'));
      expect(app.core.preferences.autoLockMinutes).toBe(5);

      await autoLock.fill('1');
      await autoLock.press('Enter');
      await visible(page.getByText('Saved'));
      expect(app.core.preferences.autoLockMinutes).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('locks after a minute without activity and says why on the sign-in screen', async () => {
    // The same data, started again with a "minute" of 300 ms.
    const app: LaunchedApp = await launchApp(browser, { dataDir, keyFile, idleMinuteMs: 300 });
    try {
      await visible(signInHeading(app.page));
      const locked = app.nextEvent('locked', 60_000);
      // Signed in (the default mode: the password, then the key), the lock follows 300 ms later: the app may show
      // only for an instant, so the sign-in's answer is what tells it happened.
      await app.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await app.page.getByRole('button', { name: 'Sign in', exact: true }).click();
      expect(await locked).toEqual({ reason: 'idle' });
      const signIns = app.traffic.filter((r) => r.direction === 'answer' && r.channel === 'account:signIn');
      expect(signIns).toMatchObject([{ payload: { ok: true } }]);
      await visible(signInHeading(app.page));
      await visible(app.page.getByText('Your vault locked after a while without activity.'));
      expect(await app.core.state()).toMatchObject({ vault: 'none' });
      await expectAccessible(app.page, 'sign in after the idle lock');
    } finally {
      await app.close();
    }
  });
});
