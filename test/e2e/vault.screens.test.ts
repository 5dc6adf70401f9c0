// The vault, editor, import and export screens checked by axe-core and photographed at 1280x800 for docs/screenshots.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, openBrowser, type LaunchedApp, type LaunchOptions } from './support/launchApp.js';
import { WAIT, row, secretFor, seedEntries, shownCode, signedInVault, type SeedEntry } from './support/vaultSession.js';
import { twoFauthFile } from './support/twoFauthFile.js';

const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');

/** A vault as a person has it: well-known services (icons matched from the bundled set) and a few without a logo. */
const REALISTIC: SeedEntry[] = [
  { service: 'GitHub', account: 'ada.lovelace', secret: secretFor(101) },
  { service: 'Google', account: 'ada.lovelace@gmail.com', secret: secretFor(102) },
  { service: 'Microsoft', account: 'ada@outlook.com', secret: secretFor(103) },
  { service: 'Amazon Web Services', account: 'root@analytical-engine.org', secret: secretFor(104) },
  { service: 'Dropbox', account: 'ada@analytical-engine.org', secret: secretFor(105) },
  { service: 'Steam', account: 'countess_of_lovelace', secret: secretFor(106), otpType: 'steamtotp' },
  { service: 'Discord', account: 'ada#1815', secret: secretFor(107) },
  { service: 'Proton Mail', account: 'ada@proton.me', secret: secretFor(108) },
  { service: 'Cloudflare', account: 'ops@analytical-engine.org', secret: secretFor(109) },
  { service: 'PayPal', account: 'ada@analytical-engine.org', secret: secretFor(110) },
  { service: 'GitLab', account: 'ada', secret: secretFor(111) },
  { service: 'Bitwarden', account: 'ada@analytical-engine.org', secret: secretFor(112) },
];

let browser: Browser;
let app: LaunchedApp | undefined;

beforeAll(async () => {
  browser = await openBrowser();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function launched(options: LaunchOptions = {}): Promise<LaunchedApp> {
  app = await launchApp(browser, options);
  await signedInVault(app);
  return app;
}

async function withRealisticVault(a: LaunchedApp): Promise<void> {
  await seedEntries(a, REALISTIC);
  await a.page.reload();
  await row(a, 'Bitwarden').waitFor({ timeout: WAIT });
  for (const e of REALISTIC) await shownCode(row(a, e.service));
  // Every bundled logo the list asked for has arrived (or the letter stands in for it).
  await expect
    .poll(
      () =>
        a.page
          .locator('.vault-list img.entry-icon')
          .evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete)),
      {
        timeout: WAIT,
      },
    )
    .toBe(true);
}

/** axe-core on the page as it is: no serious or critical violation. */
async function expectAccessible(a: LaunchedApp, what: string): Promise<void> {
  const results = await new AxeBuilder({ page: a.page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `${what}: ${bad.join('\n')}`).toEqual([]);
}

async function photograph(a: LaunchedApp, name: string): Promise<void> {
  // The caret and the countdown would make two runs differ for nothing.
  await a.page.screenshot({ path: join(SCREENSHOTS, name), animations: 'disabled', caret: 'hide' });
}

describe('the vault screens', () => {
  it('the empty vault has no serious accessibility violation', async () => {
    const a = await launched();
    await a.page.getByRole('heading', { name: 'Your vault is empty' }).waitFor({ timeout: WAIT });
    await expectAccessible(a, 'empty vault');
  });

  it('the vault with entries, in light and the entry editor', async () => {
    const a = await launched({ colorScheme: 'light' });
    await withRealisticVault(a);
    await expectAccessible(a, 'vault with entries');
    await photograph(a, 'vault-light.png');

    await a.page.getByTestId('vault-add').click();
    await a.page.getByRole('heading', { name: 'Add an entry' }).waitFor({ timeout: WAIT });
    await expectAccessible(a, 'entry editor (add)');
    await photograph(a, 'entry-editor-light.png');

    await a.page.getByTestId('editor-back').click();
    await row(a, 'GitHub').getByRole('button', { name: 'Actions for GitHub' }).click();
    await row(a, 'GitHub').getByRole('button', { name: 'Edit' }).click();
    await a.page.getByRole('heading', { name: 'Edit an entry' }).waitFor({ timeout: WAIT });
    await expectAccessible(a, 'entry editor (edit)');
  });

  it('the vault in dark', async () => {
    const a = await launched({ colorScheme: 'dark' });
    await withRealisticVault(a);
    await expectAccessible(a, 'vault in dark');
    await photograph(a, 'vault-dark.png');
  });

  it('the vault in French', async () => {
    const a = await launched({ locale: 'fr-FR' });
    await withRealisticVault(a);
    expect(await a.page.getByTestId('vault-add').textContent()).not.toContain('Add');
    await expectAccessible(a, 'vault in French');
    await photograph(a, 'vault-fr-light.png');
  });

  it('the import preview', async () => {
    const a = await launched();
    await seedEntries(a, REALISTIC.slice(0, 2));
    await a.page.reload();
    await row(a, 'GitHub').waitFor({ timeout: WAIT });
    await a.page.getByTestId('vault-import').click();
    await a.page.getByTestId('file-input').setInputFiles({
      name: '2fauth-export.json',
      mimeType: 'application/json',
      buffer: twoFauthFile(REALISTIC.slice(0, 7)),
    });
    await a.page.getByTestId('import-read').click();
    await a.page.getByTestId('import-preview').waitFor({ timeout: WAIT });
    await expectAccessible(a, 'import preview');
    await photograph(a, 'import-preview-light.png');
  });

  it('the export wizard', async () => {
    const a = await launched();
    await seedEntries(a, REALISTIC.slice(0, 3));
    await a.page.reload();
    await row(a, 'GitHub').waitFor({ timeout: WAIT });
    await a.page.getByTestId('vault-export').click();
    await a.page.getByRole('heading', { name: 'Export', exact: true }).waitFor({ timeout: WAIT });
    await expectAccessible(a, 'export formats');
    await photograph(a, 'export-light.png');
    await a.page.getByRole('button', { name: 'Continue' }).click();
    await a.page.getByLabel('Password', { exact: true }).waitFor({ timeout: WAIT });
    await expectAccessible(a, 'export password');
  });
});
