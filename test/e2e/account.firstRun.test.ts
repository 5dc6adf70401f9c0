// First run with a key through the UI, then sign out and in with one touch; no secret reaches the renderer.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  TEST_PIN,
  launchApp,
  makeVirtualKey,
  openBrowser,
  type LaunchedApp,
  type TrafficRecord,
} from './support/launchApp.js';
import {
  PASSWORD,
  confirmWrittenDown,
  createAccount,
  expectAccessible,
  expectSignedIn,
  goTo,
  lock,
  setSignInMode,
  signInWithPassword,
  registerFirstKey,
  screenshot,
  signInHeading,
  signInWithKey,
  visible,
} from './support/accountSteps.js';

/** A TOTP secret (base32) that appears nowhere else. */
const ENTRY_SECRET = 'JBSWY3DPEHPK3PXPKRUGS4ZAKNSWG4TF';

let browser: Browser;

beforeAll(async () => {
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Every string inside a payload (numbers are left out: a clock's milliseconds may hold a PIN's digits). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every record that reached the page (answers and events) with a string that holds `secret`. */
function carrying(traffic: TrafficRecord[], secret: string): TrafficRecord[] {
  return traffic.filter((r) => r.direction !== 'call' && strings(r.payload).some((s) => s.includes(secret)));
}

describe('first run with a key, in order', () => {
  let app: LaunchedApp;
  let recoveryCode: string;

  beforeAll(async () => {
    // A key alone signs in only with user verification: this key has a PIN.
    const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-'));
    app = await launchApp(browser, { keyFile: await makeVirtualKey(join(dataDir, 'key.json'), { pin: TEST_PIN }) });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates the account and shows the recovery code once, to be confirmed written down', async () => {
    const { page } = app;
    await visible(page.getByRole('heading', { name: 'Welcome to Latchkey' }));
    await expectAccessible(page, 'first run, account step');
    await screenshot(page, 'first-run-light');

    recoveryCode = await createAccount(page);
    expect(recoveryCode.length).toBeGreaterThan(10);
    await expectAccessible(page, 'first run, recovery code');
    await screenshot(page, 'recovery-code-light');
    // Copy goes through the main process (the page's clipboard API is refused in the app), kept out of history.
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => app.shell.clipboard, { timeout: 30_000 }).toBe(recoveryCode);
    // Continue waits for the confirmation.
    await expect(page.getByRole('button', { name: 'Continue' }).isDisabled()).resolves.toBe(true);
    await confirmWrittenDown(page);
    await visible(page.getByRole('button', { name: 'Register a security key now' }));
    await expect(page.getByText(recoveryCode).count()).resolves.toBe(0);
    await expectAccessible(page, 'first run, key step');
  });

  it('registers the key with a touch, renames it at once and opens the vault', async () => {
    await registerFirstKey(app, 'Desk key', { pin: TEST_PIN });
    const state = await app.core.state();
    expect(state).toMatchObject({ vault: 'open', account: { keyCount: 1 } });
    expect(app.core.session.listKeys().map((k) => k.display_name)).toEqual(['Desk key']);
  });

  it('signs out with Lock and in again with the password then the key (the default two-factor mode)', async () => {
    await lock(app);
    await expectAccessible(app.page, 'sign in, two-factor');
    await signInWithPassword(app, { pin: TEST_PIN });
    expect(await app.core.state()).toMatchObject({ vault: 'open', account: { signInMode: 'password-and-key' } });
  });

  it('in password-or-key mode, signs out and in again with one touch of the key', async () => {
    await goTo(app.page, 'Security keys');
    await setSignInMode(app, 'password-or-key', { password: PASSWORD, pin: TEST_PIN });
    await lock(app);
    await visible(app.page.getByRole('button', { name: 'Sign in with your key' }));
    await expectAccessible(app.page, 'sign in');
    await screenshot(app.page, 'sign-in-light');
    await signInWithKey(app, TEST_PIN);
    const state = await app.core.state();
    expect(state).toMatchObject({ vault: 'open', account: { email: 'ada@example.org' } });
  });

  it('never sent the page the password, the PIN nor an entry secret; the recovery code only when it was made', async () => {
    // An entry with a secret, added as the entry form does (the vault screens are tested on their own): its codes
    // reach the page, its secret never does.
    const added = await app.page.evaluate(
      (uri) => window.latchkey.call('vault:addEntry', { uri }),
      `otpauth://totp/GitHub:ada?secret=${ENTRY_SECRET}&issuer=GitHub`,
    );
    expect(added.ok).toBe(true);
    await goTo(app.page, 'Vault');
    await visible(app.page.getByText('GitHub').first());
    await expect
      .poll(() => app.traffic.some((r) => r.direction === 'answer' && r.channel === 'vault:codes'))
      .toBe(true);

    expect(carrying(app.traffic, ENTRY_SECRET)).toEqual([]);
    expect(carrying(app.traffic, PASSWORD)).toEqual([]);
    expect(carrying(app.traffic, TEST_PIN)).toEqual([]);
    expect(carrying(app.traffic, recoveryCode).map((r) => `${r.direction} ${r.channel}`)).toEqual([
      'answer account:create',
    ]);
  });
});

describe('first run in dark', () => {
  it('shows the first run and the sign-in screen in the dark theme', async () => {
    const app = await launchApp(browser, { colorScheme: 'dark' });
    try {
      await visible(app.page.getByRole('heading', { name: 'Welcome to Latchkey' }));
      await expectAccessible(app.page, 'first run, dark');
      await screenshot(app.page, 'first-run-dark');
      await createAccount(app.page);
      await confirmWrittenDown(app.page);
      await app.page.getByRole('button', { name: 'Later' }).click();
      await expectSignedIn(app.page);
      await lock(app);
      await visible(signInHeading(app.page));
      await expectAccessible(app.page, 'sign in, dark');
      await screenshot(app.page, 'sign-in-dark');
    } finally {
      await app.close();
    }
  });
});
