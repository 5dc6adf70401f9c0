// Builds the vault the vault benchmarks measure, once per run: 10,000 entries in groups, sealed under one master key.

import { Secret as OtpSecret } from 'otpauth';
import { HybridLogicalClock } from '../../src/main/vault/clock/HybridLogicalClock.js';
import type { Argon2Params } from '../../src/main/vault/crypto/argon2id.js';
import { putEntry } from '../../src/main/vault/file/entryRecords.js';
import { encodeEntryRecord, encodeGroupRecord } from '../../src/main/services/vault/vaultRecords.js';
import type { EntryRecord } from '../../src/main/vault/file/vaultFileSchema.js';
import { createVault } from '../../src/main/vault/slots/createVault.js';
import type { UnlockedVault } from '../../src/main/vault/slots/unlock.js';
import {
  createGroup,
  emptyVaultContent,
  newEntry,
  type VaultContent,
  type VaultEntry,
} from '../../src/main/vault/entries/index.js';

/**
 * Far below the production floor: building the vault is not what is measured (the figures start after the slot is
 * unwrapped), so its password slot costs a millisecond. Pass it as `minArgon2` to unlock this vault.
 */
export const BENCH_ARGON2: Argon2Params = { m: 64, t: 1, p: 1 };

/** The password of the built vault's slot: a fixed bench value, not anyone's secret. */
export const BENCH_PASSWORD = 'bench vault password';

export interface LargeVaultOptions {
  /** Entries in the vault. @default 10_000 (the benchmark size) */
  entries?: number;
  /** Groups the entries are spread over, one each. @default 40 */
  groups?: number;
}

export interface LargeVault {
  /** The open vault (password-or-key, one password slot): the holder locks it (lockVault) when done. */
  vault: UnlockedVault;
  /** The same entries and their groups as the entries module works on them. */
  content: VaultContent;
  clock: HybridLogicalClock;
}

/** Services people keep 2FA codes for; with the entry number, they give a search realistic text to look through. */
const SERVICES = [
  'GitHub',
  'GitLab',
  'Google',
  'Microsoft',
  'Amazon Web Services',
  'Dropbox',
  'Proton Mail',
  'Fastmail',
  'Cloudflare',
  'DigitalOcean',
  'Hetzner',
  'Namecheap',
  'PayPal',
  'Coinbase',
  'Kraken',
  'Binance',
  'Discord',
  'Slack',
  'Twitter',
  'Mastodon',
  'Reddit',
  'Facebook',
  'Instagram',
  'LinkedIn',
  'Atlassian',
  'Bitbucket',
  'npm',
  'PyPI',
  'Docker Hub',
  'Heroku',
  'Vercel',
  'Netlify',
  'Stripe',
  'Twilio',
  'Okta',
  'Nextcloud',
  'Synology',
  'Ubiquiti',
  'Tailscale',
  'Steam',
];

/** Mostly 30-second SHA-1 TOTP, as issuers hand out; some SHA-256/512 and 8 digits, every 25th Steam, every 50th HOTP. */
function entryInput(i: number): Record<string, unknown> {
  const service = SERVICES[i % SERVICES.length]!;
  const common = { service: `${service} ${i}`, account: `user${i}@example.org`, secret: new OtpSecret().base32 };
  if (i % 25 === 24) return { ...common, service: `Steam ${i}`, otp_type: 'steamtotp' };
  if (i % 50 === 13) return { ...common, otp_type: 'hotp', counter: i };
  const algorithm = i % 10 === 3 ? 'sha256' : i % 10 === 7 ? 'sha512' : 'sha1';
  return { ...common, otp_type: 'totp', algorithm, digits: i % 4 === 1 ? 8 : 6 };
}

export async function buildLargeVault(options: LargeVaultOptions = {}): Promise<LargeVault> {
  const { entries: count = 10_000, groups: groupCount = 40 } = options;
  const clock = new HybridLogicalClock({ device: 'bench-device' });
  const vault = await createVault({
    mode: 'password-or-key',
    slots: [{ type: 'password', password: BENCH_PASSWORD, params: BENCH_ARGON2 }],
    clock,
  });
  let content = emptyVaultContent();
  const groupIds: string[] = [];
  for (let g = 0; g < groupCount; g++) {
    const made = createGroup(content, { name: `Group ${g}` });
    content = made.content;
    groupIds.push(made.group.id);
  }
  const entries = new Map<string, VaultEntry>();
  const records: Record<string, EntryRecord> = {};
  // putEntry copies the entries object on each call (10,000 calls would copy 50 million members), so each entry is
  // sealed into a vault holding no entries and its record collected: the record binds the vault id and epoch only.
  const empty: UnlockedVault = { ...vault, body: { ...vault.body, entries: {} } };
  for (let i = 0; i < count; i++) {
    const entry: VaultEntry = {
      ...newEntry({ input: entryInput(i), order: i }),
      groups: groupIds.length ? [groupIds[i % groupIds.length]!] : [],
    };
    entries.set(entry.id, entry);
    const sealed = putEntry(empty, { id: entry.id, data: encodeEntryRecord(entry) }, clock.tick());
    records[entry.id] = sealed.body.entries[entry.id]!;
  }
  // The groups are records too, as the app writes them (an entry naming a group with no record is read without it).
  for (const group of content.groups.values())
    records[group.id] = putEntry(empty, { id: group.id, data: encodeGroupRecord(group) }, clock.tick()).body.entries[
      group.id
    ]!;
  return {
    vault: { ...vault, body: { ...vault.body, entries: records } },
    content: { entries, groups: content.groups },
    clock,
  };
}
