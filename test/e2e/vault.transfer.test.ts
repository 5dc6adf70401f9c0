// The import and export wizards against the real services: a 2FAuth file, an encrypted Aegis file, a 2FAuth export.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LaunchedApp } from './support/launchApp.js';
import { twoFauthFile } from './support/twoFauthFile.js';
import { PASSWORD, WAIT, row, secretFor, seedEntries, signedInVaultPerTest } from './support/vaultSession.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/import');
/** The encrypted Aegis fixture's password (test/fixtures/import/README.md). */
const AEGIS_PASSWORD = 'latchkey fixture password';

const currentApp = signedInVaultPerTest();
let app: LaunchedApp;
beforeEach(() => {
  app = currentApp();
});

const IMPORTED = [
  { service: 'GitHub', account: 'ada', secret: secretFor(31) },
  { service: 'Amazon Web Services', account: 'ada@example.org', secret: secretFor(32) },
  { service: 'Microsoft', account: 'ada@outlook.com', secret: secretFor(33) },
];

async function openImport(): Promise<void> {
  await app.page.getByTestId('vault-import').click();
  await app.page.getByRole('heading', { name: 'Import', exact: true }).waitFor({ timeout: WAIT });
}

async function chooseFile(name: string, buffer: Buffer): Promise<void> {
  await app.page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/json', buffer });
  await app.page.getByTestId('chosen-files').waitFor({ timeout: WAIT });
  await app.page.getByTestId('import-read').click();
}

describe('the import wizard', () => {
  it('previews a 2FAuth file, leaves the duplicate unticked, and adds the rest', async () => {
    // GitHub is already in the vault with the same secret: the file's copy is a duplicate.
    await seedEntries(app, [IMPORTED[0]!]);
    await app.page.reload();
    await row(app, 'GitHub').waitFor({ timeout: WAIT });

    await openImport();
    await chooseFile('2fauth-export.json', twoFauthFile(IMPORTED));
    const preview = app.page.getByTestId('import-preview');
    await preview.waitFor({ timeout: WAIT });
    expect(await preview.textContent()).toContain('3 entries found');
    const checkbox = (service: string) => preview.locator('li').filter({ hasText: service }).getByRole('checkbox');
    expect(await checkbox('GitHub').isChecked()).toBe(false);
    expect(await preview.locator('li').filter({ hasText: 'GitHub' }).textContent()).toContain('Already in the vault');
    expect(await checkbox('Amazon Web Services').isChecked()).toBe(true);
    expect(await checkbox('Microsoft').isChecked()).toBe(true);

    await app.page.getByRole('button', { name: 'Add 2 entries' }).click();
    await expect
      .poll(() => app.page.getByTestId('import-result').textContent(), { timeout: WAIT })
      .toBe('2 entries added, 1 skipped.');
    await app.page.getByRole('button', { name: 'Back to the vault' }).click();
    for (const e of IMPORTED) await row(app, e.service).waitFor({ timeout: WAIT });
    expect(await app.page.getByTestId('vault-list').locator('li').count()).toBe(3);
    await expect
      .poll(() => app.page.getByTestId('copy-status').textContent(), { timeout: WAIT })
      .toBe('2 entries added, 1 skipped.');
  });

  it('asks for an encrypted Aegis file’s password, says when it is wrong, and opens it with the right one', async () => {
    await openImport();
    await chooseFile('aegis-encrypted.json', await readFile(join(FIXTURES, 'aegis-encrypted.json')));
    const password = app.page.getByLabel(/^The file.s password$/);
    await password.waitFor({ timeout: WAIT });
    await password.fill('not the password');
    await app.page.getByRole('button', { name: 'Open the file' }).click();
    await expect.poll(() => password.getAttribute('aria-invalid'), { timeout: WAIT }).toBe('true');
    expect(await app.page.getByTestId('import-password-message').textContent()).not.toBe('');

    await password.fill(AEGIS_PASSWORD);
    await app.page.getByRole('button', { name: 'Open the file' }).click();
    const preview = app.page.getByTestId('import-preview');
    await preview.waitFor({ timeout: WAIT });
    expect(await preview.textContent()).toContain('GitHub');
    const ticked = await preview.getByRole('checkbox', { checked: true }).count();
    expect(ticked).toBeGreaterThan(0);
    await app.page.getByTestId('import-commit').click();
    await expect
      .poll(() => app.page.getByTestId('import-result').textContent(), { timeout: WAIT })
      .toMatch(new RegExp(`^(One entry|${ticked} entries) added`));
    const vault = await app.core.session.vault();
    expect(vault.entries()).toHaveLength(ticked);
  });
});

describe('the export wizard', () => {
  it('writes a 2FAuth file after the password is asked again in a prompt', async () => {
    await seedEntries(app, IMPORTED);
    await app.page.reload();
    await row(app, 'GitHub').waitFor({ timeout: WAIT });
    await app.page.getByTestId('vault-export').click();
    await app.page.getByRole('heading', { name: 'Export', exact: true }).waitFor({ timeout: WAIT });
    await app.page.getByRole('radio', { name: /2FAuth/ }).check();
    await app.page.getByRole('button', { name: 'Continue' }).click();
    await app.page.getByTestId('plain-warning').waitFor({ timeout: WAIT });
    await app.page.getByRole('button', { name: 'Export' }).click();
    // Not yet understood: nothing is written.
    await app.page.getByText('not protected').first().waitFor({ timeout: WAIT });
    expect(app.shell.saved).toEqual([]);
    await app.page.getByLabel('I understand that this file is not protected').check();
    await app.page.getByRole('button', { name: 'Export' }).click();

    const prompt = app.page.getByRole('dialog', { name: 'Enter your password' });
    await prompt.waitFor({ timeout: WAIT });
    await prompt.getByLabel('Password').fill(PASSWORD);
    await prompt.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => app.page.getByTestId('export-result').textContent(), { timeout: WAIT })
      .toMatch(/^3 entries exported/);
    expect(app.shell.saved).toHaveLength(1);
    const written = JSON.parse(await readFile(app.shell.saved[0]!, 'utf8')) as {
      data: { service: string; account: string; secret: string }[];
    };
    expect(written.data.map(({ service, account, secret }) => ({ service, account, secret }))).toEqual(
      expect.arrayContaining(IMPORTED),
    );
    expect(written.data).toHaveLength(3);
  });
});
