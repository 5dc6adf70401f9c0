// Writes entries as an Aegis vault (docs/vault.md of Aegis): plain JSON, or its db sealed under a scrypt password slot.

import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { scrypt, type ScryptParams } from '../../../secrets/scrypt.js';
import { zeroize } from '../../../secrets/zeroize.js';
import type { VaultEntry, VaultGroup } from '../../entries/index.js';
import { iconOf, type IconLookup } from './iconLookup.js';

/** Aegis' own password slot parameters (docs/vault.md, "KDF"): a phone must be able to derive them without running out of memory. */
export const AEGIS_SCRYPT_PARAMS: Readonly<ScryptParams> = { n: 2 ** 15, r: 8, p: 1 };

/** The vault content version Aegis writes today (entries with notes, favourites, icons and groups). */
const AEGIS_DB_VERSION = 3;

/** The icon types Aegis reads (its IconType: SVG, PNG, JPEG); an icon of another type is left out rather than refused. */
const AEGIS_ICON_MIMES = new Set(['image/svg+xml', 'image/png', 'image/jpeg']);

const AEGIS_TYPES = { totp: 'totp', hotp: 'hotp', steamtotp: 'steam' } as const;

export interface ExportAegisJsonOptions {
  /**
   * Seals the vault under this password (UTF-8 bytes; the caller zeroes them): a password slot with scrypt at Aegis'
   * parameters and AES-256-GCM over the content, as Aegis writes an encrypted export. Without it the file is plain JSON.
   */
  password?: Uint8Array;
  /** Icon images by file name; PNG, JPEG and SVG icons are written, others left out. */
  icons?: IconLookup;
}

/**
 * `{ version: 1, header: { slots, params }, db }`. Entries keep their UUIDs, and groups become Aegis groups with theirs.
 * Plain, the bytes hold every secret in clear text: write them with mode 0600 and say the file is not encrypted.
 */
export async function exportAegisJson(
  entries: readonly VaultEntry[],
  groups: readonly VaultGroup[],
  options: ExportAegisJsonOptions = {},
): Promise<Buffer> {
  const known = new Set(groups.map((group) => group.id));
  const db = {
    version: AEGIS_DB_VERSION,
    entries: entries.map((entry) => aegisEntry(entry, known, options.icons)),
    groups: groups.map((group) => ({ uuid: group.id, name: group.name })),
  };
  if (options.password === undefined) return fileBytes({ version: 1, header: { slots: null, params: null }, db });
  const content = Buffer.from(JSON.stringify(db), 'utf8');
  const master = randomBytes(32);
  try {
    const slot = await passwordSlot(master, options.password);
    const sealed = seal(master, content);
    return fileBytes({
      version: 1,
      header: { slots: [slot], params: { nonce: sealed.nonce, tag: sealed.tag } },
      db: sealed.ciphertext.toString('base64'),
    });
  } finally {
    zeroize(content);
    zeroize(master);
  }
}

function aegisEntry(entry: VaultEntry, knownGroups: ReadonlySet<string>, icons: IconLookup | undefined) {
  const found = iconOf(entry.icon, icons);
  const icon = found && AEGIS_ICON_MIMES.has(found.mime) ? found : undefined;
  const common = { secret: entry.secret, algo: entry.algorithm.toUpperCase(), digits: entry.digits };
  return {
    type: AEGIS_TYPES[entry.otp_type],
    uuid: entry.id,
    name: entry.account,
    issuer: entry.service,
    note: entry.note,
    favorite: entry.favourite === true,
    icon: icon ? Buffer.from(icon.data).toString('base64') : null,
    icon_mime: icon ? icon.mime : null,
    icon_hash: icon ? createHash('sha256').update(icon.data).digest('hex') : null,
    info: entry.otp_type === 'hotp' ? { ...common, counter: entry.counter } : { ...common, period: entry.period },
    groups: entry.groups.filter((id) => knownGroups.has(id)),
  };
}

/** Aegis' password slot (type 1): the master key sealed under scrypt(password, 32-byte salt), nonce and tag in hex. */
async function passwordSlot(master: Uint8Array, password: Uint8Array) {
  const salt = randomBytes(32);
  const slotKey = await scrypt(password, salt, 32, AEGIS_SCRYPT_PARAMS);
  try {
    const sealed = seal(slotKey, master);
    const { n, r, p } = AEGIS_SCRYPT_PARAMS;
    return {
      type: 1,
      uuid: randomUUID(),
      key: sealed.ciphertext.toString('hex'),
      key_params: { nonce: sealed.nonce, tag: sealed.tag },
      n,
      r,
      p,
      salt: salt.toString('hex'),
      // Aegis marks slots made after its fix of the password encoding as repaired; an unmarked slot is derived the
      // old way and would not open. is_backup false: the slot is the vault's password, not a separate backup one.
      repaired: true,
      is_backup: false,
    };
  } finally {
    zeroize(slotKey);
  }
}

/** AES-256-GCM without additional data, as Aegis seals both the slot's key and the content; nonce and tag in hex. */
function seal(key: Uint8Array, plaintext: Uint8Array): { ciphertext: Buffer; nonce: string; tag: string } {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, nonce: nonce.toString('hex'), tag: cipher.getAuthTag().toString('hex') };
}

function fileBytes(file: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(file, null, 4)}\n`, 'utf8');
}
