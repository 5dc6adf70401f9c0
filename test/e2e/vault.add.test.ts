// Adding entries through the UI (an otpauth URI, a QR picture, the form, a QR code on screen) and copying their codes.

import { beforeEach, describe, expect, it } from 'vitest';
import type { LaunchedApp } from './support/launchApp.js';
import {
  WAIT,
  lastCopyAnswer,
  otpauthUri,
  qrPng,
  row,
  secretFor,
  shownCode,
  signedInVaultPerTest,
  totpAt,
} from './support/vaultSession.js';

const currentApp = signedInVaultPerTest();
let app: LaunchedApp;
beforeEach(() => {
  app = currentApp();
});

async function openEditor(): Promise<void> {
  await app.page.getByTestId('vault-add').click();
  await app.page.getByRole('heading', { name: 'Add an entry' }).waitFor({ timeout: WAIT });
}

/** The row's code is the TOTP of `secret` (by the otpauth package) for this period or, right at a boundary, the last. */
async function expectCodeOf(service: string, secret: string): Promise<void> {
  const code = await shownCode(row(app, service));
  const now = Date.now();
  expect([totpAt(secret, now), totpAt(secret, now - 30_000)]).toContain(code);
}

describe('adding entries', () => {
  it('adds one from a pasted otpauth URI and shows its live code', async () => {
    const secret = secretFor(1);
    await openEditor();
    await app.page
      .getByLabel('Paste an otpauth:// link')
      .fill(otpauthUri({ service: 'GitHub', account: 'ada', secret }));
    await app.page.getByTestId('entry-uri-add').click();
    await row(app, 'GitHub').waitFor({ timeout: WAIT });
    await expect.poll(() => app.page.getByTestId('copy-status').textContent(), { timeout: WAIT }).toBe('GitHub added');
    await expectCodeOf('GitHub', secret);
  });

  it('refuses a link that is not otpauth:// in words, tied to the field', async () => {
    await openEditor();
    const field = app.page.getByLabel('Paste an otpauth:// link');
    await field.fill('https://example.org/not-a-secret');
    await app.page.getByTestId('entry-uri-add').click();
    await expect.poll(() => field.getAttribute('aria-invalid'), { timeout: WAIT }).toBe('true');
    expect(await app.page.getByTestId('entry-uri-error').textContent()).toMatch(/otpauth:\/\//);
  });

  it('adds one from a picked QR image after showing what it holds', async () => {
    const secret = secretFor(2);
    const png = await qrPng(otpauthUri({ service: 'Dropbox', account: 'ada@example.org', secret }));
    await openEditor();
    await app.page
      .getByTestId('drop-zone')
      .getByTestId('file-input')
      .setInputFiles({ name: 'dropbox-qr.png', mimeType: 'image/png', buffer: png });
    const preview = app.page.getByTestId('import-preview');
    await preview.getByText('Dropbox').waitFor({ timeout: WAIT });
    await app.page.getByTestId('qr-add').click();
    await row(app, 'Dropbox').waitFor({ timeout: WAIT });
    await expectCodeOf('Dropbox', secret);
  });

  it('adds one by scanning the screen for a QR code', async () => {
    const secret = secretFor(3);
    app.shell.screens.push(await qrPng(otpauthUri({ service: 'Slack', account: 'ada@example.org', secret })));
    await openEditor();
    await app.page.getByRole('button', { name: 'Scan a QR code on screen' }).click();
    await app.page.getByTestId('import-preview').getByText('Slack').waitFor({ timeout: WAIT });
    await app.page.getByTestId('qr-add').click();
    await row(app, 'Slack').waitFor({ timeout: WAIT });
    await expectCodeOf('Slack', secret);
  });

  it('says so when no QR code is on screen', async () => {
    await openEditor();
    await app.page.getByRole('button', { name: 'Scan a QR code on screen' }).click();
    await expect.poll(() => app.page.getByTestId('qr-error').textContent(), { timeout: WAIT }).toMatch(/QR code/i);
  });

  it('adds one with the form, checking the secret as it is typed', async () => {
    const secret = secretFor(4);
    await openEditor();
    const form = app.page.getByTestId('entry-form');
    await form.getByLabel('Service').fill('Proton Mail');
    await form.getByLabel('Account').fill('ada@proton.me');
    const secretField = form.getByLabel('Secret key');
    await secretField.fill('not base32 1!');
    await expect.poll(() => secretField.getAttribute('aria-invalid'), { timeout: WAIT }).toBe('true');
    // Spaces and lower case are how services often show it: they are fine.
    await secretField.fill(secret.toLowerCase().replace(/(.{4})/g, '$1 '));
    await expect.poll(() => secretField.getAttribute('aria-invalid'), { timeout: WAIT }).toBe('false');
    await form.getByRole('button', { name: 'Add the entry' }).click();
    await row(app, 'Proton Mail').waitFor({ timeout: WAIT });
    await expectCodeOf('Proton Mail', secret);
  });
});

describe('copying a code', () => {
  it('copies by click and by Enter: the clipboard holds the code shown, the live region says so', async () => {
    const secret = secretFor(5);
    await openEditor();
    await app.page
      .getByLabel('Paste an otpauth:// link')
      .fill(otpauthUri({ service: 'GitHub', account: 'ada', secret }));
    await app.page.getByTestId('entry-uri-add').click();
    const github = row(app, 'GitHub');
    await github.waitFor({ timeout: WAIT });
    await shownCode(github);

    await github.getByTestId('row-copy').click();
    await expect.poll(() => app.shell.copies.length, { timeout: WAIT }).toBe(1);
    const status = app.page.getByTestId('copy-status');
    await expect.poll(() => status.textContent(), { timeout: WAIT }).toMatch(/^GitHub code copied/);
    const byClick = lastCopyAnswer(app)!;
    expect(app.shell.clipboard).toBe(byClick.code);
    expect(app.shell.clipboard).toBe(totpAt(secret, byClick.validFrom!));
    expect([await shownCode(github), totpAt(secret, Date.now())]).toContain(app.shell.clipboard);

    await github.getByTestId('row-copy').focus();
    await app.page.keyboard.press('Enter');
    await expect.poll(() => app.shell.copies.length, { timeout: WAIT }).toBe(2);
    const byEnter = lastCopyAnswer(app)!;
    expect(app.shell.clipboard).toBe(totpAt(secret, byEnter.validFrom!));
    expect(app.shell.copies[1]!.clearAfterMs).toBeGreaterThan(0);
  });
});
