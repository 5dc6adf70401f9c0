// The account screens' steps as a person takes them (first run, sign in, lock), shared by the account e2e tests.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { LaunchedApp } from './launchApp.js';

export const EMAIL = 'ada@example.org';
export const PASSWORD = 'correct horse battery staple';

/** The machine is shared and loaded: every wait is for something seen, with room to spare. */
export const WAIT = { timeout: 30_000 };

export const SCREENSHOTS = join(import.meta.dirname, '../../../docs/screenshots');

/** Waits until the locator is visible (playwright's own wait, a generous deadline). */
export async function visible(locator: Locator, timeout = WAIT.timeout): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

/** Waits until the locator is gone from the page. */
export async function gone(locator: Locator, timeout = WAIT.timeout): Promise<void> {
  await locator.waitFor({ state: 'hidden', timeout });
}

/** The signed-in app shows its navigation and the Lock button. */
export function lockButton(page: Page): Locator {
  return page.getByRole('button', { name: /^Lock/ });
}

export async function expectSignedIn(page: Page): Promise<void> {
  await visible(page.getByRole('navigation', { name: 'Main' }));
  await visible(lockButton(page));
}

export function signInHeading(page: Page): Locator {
  return page.getByRole('heading', { name: 'Sign in to Latchkey', level: 1 });
}

/** First run's first step: the account with its password typed twice; resolves to the recovery code shown. */
export async function createAccount(page: Page, options: { email?: string; password?: string } = {}): Promise<string> {
  await visible(page.getByRole('heading', { name: 'Create your account' }));
  await page.getByLabel('Email').fill(options.email ?? EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(options.password ?? PASSWORD);
  await page.getByLabel('Password again').fill(options.password ?? PASSWORD);
  await page.getByRole('button', { name: 'Create the account' }).click();
  const code = await visible(page.getByRole('status', { name: 'Recovery code' }));
  return (await code.innerText()).trim();
}

/** The recovery code panel: "I have written it down", then Continue. */
export async function confirmWrittenDown(page: Page): Promise<void> {
  await page.getByLabel('I have written it down').check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** The id of the last prompt of `kind` the page was sent. */
function lastPromptId(app: LaunchedApp, kind: 'pin' | 'password'): string {
  const prompts = app.traffic.filter(
    (r) => r.channel === 'prompt' && (r.payload as { prompt: { kind: string } }).prompt.kind === kind,
  );
  const last = prompts.at(-1);
  if (!last) throw new Error(`no ${kind} prompt was sent`);
  return (last.payload as { id: string }).id;
}

/** Resolves when the main process takes the prompt `id` down (answered, or its question gone). */
async function promptClosed(app: LaunchedApp, id: string): Promise<void> {
  const closed = () =>
    app.traffic.some((r) => r.channel === 'prompt:closed' && (r.payload as { id: string }).id === id);
  while (!closed()) await app.nextEvent('prompt:closed');
}

/** Answers the dialog of the last `kind` prompt and waits until the main process has taken it down. */
async function answerSecretPrompt(app: LaunchedApp, dialog: Locator, kind: 'pin' | 'password', value: string) {
  await visible(dialog);
  const id = lastPromptId(app, kind);
  await dialog.getByLabel(kind === 'pin' ? 'PIN' : 'Password', { exact: true }).fill(value);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await promptClosed(app, id);
}

export function passwordDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Enter your password' });
}

/** The PIN dialog of a key with a PIN (its title names the key; an alert dialog on the last attempt). */
export function pinDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: /PIN/ }).or(page.getByRole('alertdialog', { name: /PIN/ }));
}

/** Answers the password prompt the main process shows when the vault's password slot is rewritten. */
export async function answerPasswordPrompt(app: LaunchedApp, password = PASSWORD): Promise<void> {
  await answerSecretPrompt(app, passwordDialog(app.page), 'password', password);
}

export async function answerPinPrompt(app: LaunchedApp, pin: string): Promise<void> {
  await answerSecretPrompt(app, pinDialog(app.page), 'pin', pin);
}

/**
 * Answers the PIN and password prompts a change brings, in whatever order and number the services ask them, until
 * `done` shows (a change of mode may need the key's output for each slot, then the password for its own).
 */
export async function answerPromptsUntil(
  app: LaunchedApp,
  done: Locator,
  answers: { pin?: string; password?: string },
): Promise<void> {
  const pin = pinDialog(app.page);
  const password = passwordDialog(app.page);
  for (;;) {
    await visible(done.or(pin).or(password));
    if (await done.isVisible()) return;
    if (await pin.isVisible()) {
      if (answers.pin === undefined) throw new Error('a PIN was asked, and this step has none to give');
      await answerPinPrompt(app, answers.pin);
    } else if (await password.isVisible()) {
      if (answers.password === undefined) throw new Error('the password was asked, and this step has none to give');
      await answerPasswordPrompt(app, answers.password);
    }
  }
}

/**
 * First run's key step: registers the virtual key (it approves the touch itself), renames it, finishes. A key with a
 * PIN is asked it twice under the default policy (preferred): for the registration, then for the vault's slot. The
 * default mode, password and key, rewraps the vault's password slot for the first key: the password is asked again.
 */
export async function registerFirstKey(app: LaunchedApp, name: string, options: { pin?: string } = {}): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: 'Register a security key now' }).click();
  if (options.pin !== undefined) {
    await answerPinPrompt(app, options.pin);
    await answerPinPrompt(app, options.pin);
  }
  await answerPasswordPrompt(app);
  await visible(page.getByText(/^Key registered: /));
  const nameField = page.getByLabel('Key name');
  await visible(nameField);
  await nameField.fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
  await visible(page.getByText(`Key registered: ${name}.`));
  await page.getByRole('button', { name: 'Finish' }).click();
  await expectSignedIn(page);
}

/** The whole first run with a key: the account, its recovery code confirmed, the key registered and named. */
export async function firstRun(app: LaunchedApp, options: { keyName?: string; pin?: string } = {}): Promise<string> {
  const code = await createAccount(app.page);
  await confirmWrittenDown(app.page);
  await registerFirstKey(app, options.keyName ?? 'Desk key', options.pin === undefined ? {} : { pin: options.pin });
  return code;
}

export async function lock(app: LaunchedApp): Promise<void> {
  const locked = app.nextEvent('locked');
  await lockButton(app.page).click();
  await locked;
  await visible(signInHeading(app.page));
}

/** A key alone signs in only with user verification: its PIN is asked. */
export async function signInWithKey(app: LaunchedApp, pin: string): Promise<void> {
  await app.page.getByRole('button', { name: 'Sign in with your key' }).click();
  await answerPinPrompt(app, pin);
  await expectSignedIn(app.page);
}

/** Password then, in the two-factor mode, the key (its PIN when given): the sign-in screen's password form. */
export async function signInWithPassword(
  app: LaunchedApp,
  options: { password?: string; pin?: string } = {},
): Promise<void> {
  const { page } = app;
  const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Sign in with your password' }) });
  if (!(await form.isVisible())) await page.getByRole('button', { name: 'Sign in using login & password' }).click();
  await visible(form);
  await form.getByLabel('Password').fill(options.password ?? PASSWORD);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (options.pin !== undefined) await answerPinPrompt(app, options.pin);
  await expectSignedIn(page);
}

export const MODE_LABELS = {
  'password-or-key': 'Password or key',
  'password-and-key': 'Password and key',
  'key-only': 'Key only (passwordless)',
} as const;

/**
 * Settings > Security keys > Sign-in mode: chooses `mode` and applies it. A switch that rewrites the vault's password
 * slot asks the password in a prompt (answered here when `password` is given).
 */
export async function setSignInMode(
  app: LaunchedApp,
  mode: keyof typeof MODE_LABELS,
  answers: { password?: string; pin?: string } = {},
): Promise<void> {
  const section = app.page.getByRole('region', { name: 'Sign-in mode' });
  await section.getByRole('radio', { name: MODE_LABELS[mode] }).check();
  await section.getByRole('button', { name: 'Change the sign-in mode' }).click();
  await answerPromptsUntil(app, section.getByText('Saved'), answers);
  await visible(section.getByRole('radio', { name: `${MODE_LABELS[mode]} (current)` }));
}

export async function goTo(page: Page, screen: 'Vault' | 'Security keys' | 'General settings' | 'Keys present') {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen }).click();
  if (screen !== 'Vault') await visible(page.getByRole('heading', { name: screen, level: 1 }));
}

/** axe-core on the page as it is: no serious or critical violation (each one named, to fix it). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

/** A 1280x800 screenshot for docs/screenshots (the launch sets the viewport). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Fonts and the last paint settle before the picture: the page is idle when no request is pending.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
