// The vault end-to-end tests' common steps: an account signed in through the API, entries seeded through the core,
// codes computed independently of Latchkey (the otpauth package), and QR pictures made from otpauth URIs.

import { createHash } from 'node:crypto';
import { base32FromBytes } from '../../../src/main/vault/transfer/import/base32FromBytes.js';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { HOTP, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Browser, Locator } from 'playwright-core';
import type { ImportCandidate } from '../../../src/main/services/vault/index.js';
import { launchApp, openBrowser, type LaunchedApp } from './launchApp.js';

/** Generous: the machine is shared and every wait is for a state, never a fixed time. */
export const WAIT = 30_000;

export const EMAIL = 'ada@example.org';
export const PASSWORD = 'correct horse battery staple';

/** Creates the account (which signs it in and opens its vault) through the page's API, then reloads into the app. */
export async function signedInVault(app: LaunchedApp): Promise<void> {
  const created = await app.page.evaluate(
    ([email, password]) => window.latchkey.call('account:create', { email, password }),
    [EMAIL, PASSWORD] as const,
  );
  expect(created.ok, JSON.stringify(created)).toBe(true);
  await app.page.reload();
  await app.page.getByRole('heading', { name: /^(Vault|Coffre)/ }).waitFor({ timeout: WAIT });
}

export interface SeedEntry {
  service: string;
  account: string;
  secret: string;
  otpType?: 'totp' | 'hotp' | 'steamtotp';
  counter?: number;
  groups?: string[];
}

/** Adds entries straight into the open vault, as an import would: much faster than the UI for many. */
export async function seedEntries(app: LaunchedApp, entries: readonly SeedEntry[]): Promise<void> {
  const vault = await app.core.session.vault();
  const candidates: ImportCandidate[] = entries.map((e) => {
    const otpType = e.otpType ?? 'totp';
    return {
      input: {
        otp_type: otpType,
        service: e.service,
        account: e.account,
        secret: e.secret,
        digits: otpType === 'steamtotp' ? 5 : 6,
        algorithm: 'sha1',
        period: otpType === 'hotp' ? null : 30,
        counter: otpType === 'hotp' ? (e.counter ?? 0) : null,
        icon: null,
        note: '',
      },
      groups: e.groups ?? [],
    };
  });
  await vault.importEntries(candidates);
}

/** A base32 secret of 20 bytes (as most services issue) that differs per index and is the same on every run. */
export function secretFor(index: number): string {
  return base32FromBytes(createHash('sha1').update(`latchkey e2e secret ${index}`).digest());
}

/** The TOTP code for `secret` at `timestamp`, by the otpauth package rather than Latchkey's own code. */
export function totpAt(secret: string, timestamp: number, digits = 6): string {
  return new TOTP({ secret, digits, period: 30, algorithm: 'SHA1' }).generate({ timestamp });
}

export function hotpAt(secret: string, counter: number): string {
  return new HOTP({ secret, digits: 6, algorithm: 'SHA1' }).generate({ counter });
}

export function otpauthUri(options: { service: string; account: string; secret: string }): string {
  return new TOTP({
    issuer: options.service,
    label: options.account,
    secret: options.secret,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  }).toString();
}

/** A PNG of the QR code of `text`, as a screenshot of a service's set-up page would hold. */
export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', margin: 4, scale: 6, errorCorrectionLevel: 'M' });
}

/** The list row of the entry with that service (and account, when several share a service). */
export function row(app: LaunchedApp, service: string, account?: string): Locator {
  const rows = app.page.getByTestId('vault-list').locator('li').filter({ hasText: service });
  return account === undefined ? rows : rows.filter({ hasText: account });
}

/** The code a row shows, without the reading spaces; waits until it shows one. */
export async function shownCode(rowLocator: Locator): Promise<string> {
  const code = rowLocator.getByTestId('code');
  await expect
    .poll(async () => (await code.textContent())?.replace(/\s/g, '') ?? '', { timeout: WAIT })
    .toMatch(/^[0-9A-Z]{5,10}$/);
  return ((await code.textContent()) ?? '').replace(/\s/g, '');
}

/** The last `vault:copy` answer the page received. */
export function lastCopyAnswer(app: LaunchedApp): { code: string; validFrom?: number } | undefined {
  const answer = app.traffic.filter((t) => t.direction === 'answer' && t.channel === 'vault:copy').at(-1);
  const payload = answer?.payload as { ok: boolean; value?: { code: { code: string; validFrom?: number } } };
  return payload?.ok ? payload.value?.code : undefined;
}

/**
 * One browser for the file and, for each test, a fresh app signed in to an empty vault: call at the top of a test
 * file; the returned function gives the current test's app.
 */
export function signedInVaultPerTest(): () => LaunchedApp {
  let browser: Browser | undefined;
  let app: LaunchedApp | undefined;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    app = await launchApp(browser!);
    await signedInVault(app);
  });
  afterEach(async () => {
    await app?.close();
  });
  return () => app!;
}
