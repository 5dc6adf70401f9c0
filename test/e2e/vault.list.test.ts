// The vault list against the real services: search as you type, groups, delete, HOTP and Steam codes, lock, 10,000 rows.

import { beforeEach, describe, expect, it } from 'vitest';
import type { LaunchedApp } from './support/launchApp.js';
import {
  WAIT,
  hotpAt,
  row,
  secretFor,
  seedEntries,
  shownCode,
  signedInVaultPerTest,
  type SeedEntry,
} from './support/vaultSession.js';

const currentApp = signedInVaultPerTest();
let app: LaunchedApp;
beforeEach(() => {
  app = currentApp();
});

const FEW: SeedEntry[] = [
  { service: 'GitHub', account: 'ada', secret: secretFor(11) },
  { service: 'Google', account: 'ada@gmail.com', secret: secretFor(12) },
  { service: 'GitLab', account: 'ada', secret: secretFor(13) },
  { service: 'Dropbox', account: 'ada@example.org', secret: secretFor(14) },
];

/** Seeds through the core, then reloads so the page lists what the vault holds. */
async function withEntries(entries: readonly SeedEntry[]): Promise<void> {
  await seedEntries(app, entries);
  await app.page.reload();
  await row(app, entries[0]!.service).first().waitFor({ timeout: WAIT });
}

function rowCount(): Promise<number> {
  return app.page.getByTestId('vault-list').locator('li').count();
}

async function openMenu(service: string, item: string): Promise<void> {
  await row(app, service)
    .getByRole('button', { name: `Actions for ${service}` })
    .click();
  await row(app, service).getByRole('button', { name: item }).click();
}

describe('the vault list', () => {
  it('narrows the list as the search is typed, and says how many match', async () => {
    await withEntries(FEW);
    await expect.poll(rowCount, { timeout: WAIT }).toBe(4);
    const search = app.page.getByLabel('Search');
    await search.pressSequentially('git');
    await expect.poll(rowCount, { timeout: WAIT }).toBe(2);
    await expect
      .poll(() => app.page.getByTestId('result-count').textContent(), { timeout: WAIT })
      .toBe('2 entries match');
    await search.pressSequentially('h');
    await expect.poll(rowCount, { timeout: WAIT }).toBe(1);
    expect(await row(app, 'GitHub').count()).toBe(1);
    await search.fill('nothing like it');
    await app.page.getByRole('heading', { name: 'Nothing matches' }).waitFor({ timeout: WAIT });
    await app.page.getByRole('button', { name: 'Show all entries' }).click();
    await expect.poll(rowCount, { timeout: WAIT }).toBe(4);
  });

  it('creates a group, puts an entry in it and filters by it', async () => {
    await withEntries(FEW);
    await openMenu('Dropbox', 'Groups…');
    const dialog = app.page.getByRole('dialog', { name: 'Groups of Dropbox' });
    await dialog.getByLabel('New group').fill('Personal');
    await dialog.getByRole('button', { name: 'Create and add' }).click();
    await expect
      .poll(() => dialog.getByRole('checkbox', { name: 'Personal' }).isChecked(), { timeout: WAIT })
      .toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });

    await app.page.getByLabel('Group').selectOption({ label: 'Personal' });
    await expect.poll(rowCount, { timeout: WAIT }).toBe(1);
    expect(await row(app, 'Dropbox').count()).toBe(1);
    await app.page.getByLabel('Group').selectOption({ label: 'All groups' });
    await expect.poll(rowCount, { timeout: WAIT }).toBe(4);
    const vault = await app.core.session.vault();
    expect(vault.groups().map((g) => g.name)).toEqual(['Personal']);
  });

  it('deletes an entry only once the deletion is confirmed', async () => {
    await withEntries(FEW);
    await openMenu('Google', 'Delete entry');
    const dialog = app.page.getByRole('alertdialog', { name: 'Delete this entry?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    expect(await row(app, 'Google').count()).toBe(1);

    await openMenu('Google', 'Delete entry');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await row(app, 'Google').waitFor({ state: 'detached', timeout: WAIT });
    await expect
      .poll(() => app.page.getByTestId('copy-status').textContent(), { timeout: WAIT })
      .toBe('Google deleted');
    const vault = await app.core.session.vault();
    expect(
      vault
        .entries()
        .map((e) => e.service)
        .sort(),
    ).toEqual(['Dropbox', 'GitHub', 'GitLab']);
  });

  it('shows the next HOTP code on each press, the counter moving on', async () => {
    const secret = secretFor(21);
    await withEntries([{ service: 'Bank', account: 'ada', secret, otpType: 'hotp', counter: 0 }]);
    const bank = row(app, 'Bank');
    expect(await bank.getByTestId('code').textContent()).toContain('Press Next code');
    await bank.getByRole('button', { name: 'Next code for Bank' }).click();
    const first = await shownCode(bank);
    const counter = [0, 1].find((c) => hotpAt(secret, c) === first);
    expect(counter, `${first} is the HOTP of counter 0 or 1`).toBeDefined();
    await bank.getByRole('button', { name: 'Next code for Bank' }).click();
    await expect.poll(() => shownCode(bank), { timeout: WAIT }).toBe(hotpAt(secret, counter! + 1));
  });

  it('shows a Steam entry with a 5-character code', async () => {
    await withEntries([{ service: 'Steam', account: 'ada', secret: secretFor(22), otpType: 'steamtotp' }]);
    const code = await shownCode(row(app, 'Steam'));
    expect(code).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
  });

  it('leaves no code in the page once the vault locks', async () => {
    await withEntries(FEW);
    const shown = await Promise.all(FEW.map((e) => shownCode(row(app, e.service))));
    const locked = app.nextEvent('locked');
    await app.page.evaluate(() => window.latchkey.call('account:lock', {}));
    await locked;
    await app.page.getByTestId('vault-list').waitFor({ state: 'detached', timeout: WAIT });
    const html = await app.page.content();
    for (const code of shown) {
      expect(html).not.toContain(code);
      expect(html).not.toContain(`${code.slice(0, 3)} ${code.slice(3)}`);
    }
    expect(html).not.toContain('GitHub');
  });
});

describe('10,000 entries', () => {
  it('render virtualised, scroll to the end, and the search finds the last one', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      service: `Service ${String(i + 1).padStart(5, '0')}`,
      account: `user${i + 1}@example.org`,
      secret: secretFor(i + 100),
    }));
    await withEntries(many);
    const rendered = await rowCount();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(await app.page.getByTestId('vault-list').locator('ul').getAttribute('aria-label')).toBe('Entries, 10000');

    await row(app, 'Service 00001').getByTestId('row-copy').focus();
    await app.page.keyboard.press('End');
    const last = row(app, 'Service 10000');
    await last.waitFor({ timeout: WAIT });
    await expect
      .poll(() => last.getByTestId('row-copy').evaluate((b) => b === document.activeElement), { timeout: WAIT })
      .toBe(true);
    await shownCode(last);
    expect(await rowCount()).toBeLessThan(60);

    await app.page.getByTestId('vault-list').evaluate((el) => (el.scrollTop = 0));
    await row(app, 'Service 00001').waitFor({ timeout: WAIT });
    await app.page.getByLabel('Search').fill('user10000@');
    await expect.poll(rowCount, { timeout: WAIT }).toBe(1);
    await shownCode(row(app, 'Service 10000'));
  });
});
