// OpenVault's edits a window makes beside the CLI's: favourites, an entry's own picture, manual order, visible codes.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOTP } from 'otpauth';
import { VaultEntryError } from '../../../../src/main/vault/entries/index.js';
import { SECRET } from '../../vault/entries/entryFixtures.js';
import { NOW, openTestVault, type OpenTestVault } from './openTestVault.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

let t: OpenTestVault;
beforeEach(async () => {
  t = await openTestVault();
});
afterEach(() => t.cleanup());

async function three() {
  const a = await t.vault.addEntry({ service: 'A', secret: SECRET });
  const b = await t.vault.addEntry({ service: 'B', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
  const c = await t.vault.addEntry({ service: 'C', secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U' });
  return [a.entry.id, b.entry.id, c.entry.id] as const;
}

describe('OpenVault edits from the window', () => {
  it('pins and unpins an entry, on disk too, and writes nothing when nothing changes', async () => {
    const [a] = await three();
    expect((await t.vault.setFavourite(a, true)).favourite).toBe(true);
    expect((await t.onDisk()).entries.get(a)?.favourite).toBe(true);
    const before = (await t.onDisk()).entries.get(a)?.updated_at;
    await t.vault.setFavourite(a, true);
    expect((await t.onDisk()).entries.get(a)?.updated_at).toBe(before);
    expect((await t.vault.setFavourite(a, false)).favourite).toBeUndefined();
  });

  it('puts manual order as given, the others after in their order, and refuses an unknown id without a change', async () => {
    const [a, b, c] = await three();
    await t.vault.reorder([c, a]);
    expect(t.vault.entries().map((e) => e.service)).toEqual(['C', 'A', 'B']);
    await expect(t.vault.reorder([b, 'no-such-id'])).rejects.toBeInstanceOf(VaultEntryError);
    expect([...(await t.onDisk()).entries.values()].sort((x, y) => x.order - y.order).map((e) => e.service)).toEqual([
      'C',
      'A',
      'B',
    ]);
  });

  it('gives an entry its own picture and takes it away with the icon record', async () => {
    const [a] = await three();
    const withIcon = await t.vault.setIcon(a, { mime: 'image/png', data: PNG });
    expect(withIcon.icon).not.toBeNull();
    expect(t.vault.icon(withIcon.icon!)?.data.equals(PNG)).toBe(true);
    const without = await t.vault.setIcon(a, null);
    expect(without.icon).toBeNull();
    expect(t.vault.icon(withIcon.icon!)).toBeUndefined();
  });

  it('refuses a picture that is not an icon type', async () => {
    const [a] = await three();
    await expect(t.vault.setIcon(a, { mime: 'text/html', data: Buffer.from('<script>') })).rejects.toThrow();
    expect(t.vault.entry(a).icon).toBeNull();
  });

  it('gives the codes of the entries asked, in that order, leaving HOTP and unknown ids out', async () => {
    const [a, , c] = await three();
    const hotp = await t.vault.addEntry(`otpauth://hotp/Bank:ada?secret=${SECRET}&counter=1`);
    const codes = t.vault.timedCodes([c, 'nope', hotp.entry.id, a], NOW.getTime());
    expect(codes.map((x) => x.id)).toEqual([c, a]);
    const expected = new TOTP({ secret: SECRET }).generate({ timestamp: NOW.getTime() });
    expect(codes[1]?.code.code).toBe(expected);
  });
});
