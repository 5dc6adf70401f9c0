// A lost key: the app started again with a new key, "Lost your key? Recover your account", a new recovery code.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, makeVirtualKey, openBrowser, type LaunchedApp } from './support/launchApp.js';
import {
  PASSWORD,
  answerPromptsUntil,
  confirmWrittenDown,
  expectAccessible,
  expectSignedIn,
  firstRun,
  goTo,
  visible,
} from './support/accountSteps.js';

let browser: Browser;

beforeAll(async () => {
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('lose the key and recover', () => {
  let dataDir: string;
  let oldCode: string;
  let app: LaunchedApp | undefined;

  afterAll(async () => {
    await app?.close();
  });

  it('sets up an account with a key, then the key is gone', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-'));
    const first = await launchApp(browser, { dataDir, keyFile: await makeVirtualKey(join(dataDir, 'lost.json')) });
    try {
      oldCode = await firstRun(first, { keyName: 'Lost key' });
    } finally {
      await first.close();
    }
  });

  it('recovers with the password, the recovery code and a new key, and shows the new code once', async () => {
    app = await launchApp(browser, { dataDir, keyFile: await makeVirtualKey(join(dataDir, 'new.json')) });
    const { page } = app;
    await visible(page.getByRole('heading', { name: 'Sign in to Latchkey' }));
    await page.getByRole('button', { name: 'Lost your key? Recover your account' }).click();
    await visible(page.getByRole('heading', { name: 'Recover your account', level: 1 }));
    await expectAccessible(page, 'recover');

    // A wrong code is refused next to its field and changes nothing.
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Recovery code').fill('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
    await page.getByRole('button', { name: 'Recover' }).click();
    await visible(page.getByLabel('Recovery code').and(page.locator('[aria-invalid="true"]')));
    // The cleared password is not called missing: the refusal is about the code.
    await expect(page.getByText('Type a password.').count()).resolves.toBe(0);
    const refused = app.traffic.filter((r) => r.direction === 'answer' && r.channel === 'account:recover');
    expect(refused).toMatchObject([{ payload: { ok: false } }]);
    await expect(page.getByLabel('Recovery code').inputValue()).resolves.toBe('');

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Recovery code').fill(oldCode);
    await page.getByLabel('Name of the new key (optional)').fill('Spare key');
    await page.getByRole('button', { name: 'Recover' }).click();
    const codeShown = page.getByRole('status', { name: 'Recovery code' });
    await answerPromptsUntil(app, codeShown, { password: PASSWORD });
    const newCode = (await codeShown.innerText()).trim();
    expect(newCode).not.toBe(oldCode);
    await expectAccessible(page, 'recover, new code');
    await confirmWrittenDown(page);
    await expectSignedIn(page);

    expect(app.core.session.listKeys().map((k) => k.display_name)).toEqual(['Spare key']);
    await goTo(page, 'Security keys');
    await visible(page.getByRole('heading', { name: 'Spare key', level: 3 }));
    const answersWithCode = app.traffic.filter(
      (r) => r.direction !== 'call' && JSON.stringify(r.payload).includes(newCode),
    );
    expect(answersWithCode.map((r) => `${r.direction} ${r.channel}`)).toEqual(['answer account:recover']);
  });
});
