// Entries and groups for the export and QR tests: every OTP type, unicode names, an icon, a group.

import type { VaultEntry, VaultGroup } from '../../../../src/main/vault/entries/index.js';
import { makeEntry, NOW, SECRET } from '../entries/entryFixtures.js';

export { SECRET };

export const GROUP: VaultGroup = {
  id: '11111111-2222-4333-8444-555555555555',
  name: 'Work',
  created_at: NOW.toISOString(),
  updated_at: NOW.toISOString(),
};

/** A 1x1 PNG, the icon of the first entry. */
export const ICON_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000'.concat(
    '1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  ),
  'hex',
);

/** TOTP (with an icon, a note and the group), HOTP, Steam, and a SHA-512 TOTP with unicode names and 8 digits. */
export function sampleEntries(): VaultEntry[] {
  return [
    {
      ...makeEntry({ service: 'GitHub', account: 'alice@example.com', icon: 'github.png', note: 'main' }),
      groups: [GROUP.id],
    },
    makeEntry({ otp_type: 'hotp', service: 'Bank', account: 'alice', counter: 42, digits: 8, algorithm: 'sha256' }, 1),
    makeEntry({ otp_type: 'steamtotp', service: 'Steam', account: 'gabe' }, 2),
    makeEntry({ service: 'Çafé ☕', account: 'ünïcødé 名前', algorithm: 'sha512', digits: 8, period: 30 }, 3),
  ];
}

export const icons = (name: string) => (name === 'github.png' ? { mime: 'image/png', data: ICON_PNG } : undefined);
