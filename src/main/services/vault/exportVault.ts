// Builds an export of the vault in the format asked: the bytes of each file to write, and whether they are encrypted.

import type { HybridLogicalClock } from '../../vault/clock/HybridLogicalClock.js';
import type { Argon2Params } from '../../vault/crypto/argon2id.js';
import { formatOtpauthUri, type VaultEntry, type VaultGroup } from '../../vault/entries/index.js';
import {
  type IconLookup,
  export2fauthJson,
  exportAegisJson,
  exportLatchkeyEncrypted,
  exportOtpauthText,
} from '../../vault/transfer/export/index.js';
import { googleMigrationMisfit, googleMigrationUris, qrPng, qrSvg } from '../../vault/transfer/qr/index.js';

export const EXPORT_FORMATS = ['2fauth', 'otpauth', 'aegis', 'latchkey', 'qr', 'google-qr'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportVaultOptions {
  format: ExportFormat;
  /** Encrypts an Aegis export; the Latchkey export always needs one. The caller zeroes it. */
  password?: Uint8Array;
  /** `qr`: the one entry whose otpauth:// QR code is drawn. */
  entryId?: string;
  /** QR codes as SVG rather than PNG. */
  svg?: boolean;
  /** For the Latchkey export's password slot. */
  params: Argon2Params;
  clock: HybridLogicalClock;
}

export interface VaultExport {
  /** One file, or one per QR code of a Google Authenticator transfer (in order). */
  files: Buffer[];
  encrypted: boolean;
  /** How many entries the files hold. */
  entries: number;
  /** Entries the format cannot carry, each with why (a Steam entry in a Google transfer). */
  left: { entry: VaultEntry; reason: string }[];
}

export async function exportVault(
  data: { entries: VaultEntry[]; groups: VaultGroup[]; icons?: IconLookup },
  options: ExportVaultOptions,
): Promise<VaultExport> {
  const { entries, groups } = data;
  const icons = data.icons === undefined ? {} : { icons: data.icons };
  // An empty file would only be refused by the importer at the other end ("it is empty").
  if (entries.length === 0) throw new RangeError('the vault has no entries: there is nothing to export');
  const qr = async (text: string) => (options.svg === true ? Buffer.from(await qrSvg(text), 'utf8') : qrPng(text));
  switch (options.format) {
    case '2fauth':
      return {
        files: [export2fauthJson(entries, groups, icons)],
        encrypted: false,
        entries: entries.length,
        left: [],
      };
    case 'otpauth':
      return { files: [exportOtpauthText(entries)], encrypted: false, entries: entries.length, left: [] };
    case 'aegis': {
      const file = await exportAegisJson(entries, groups, {
        ...icons,
        ...(options.password ? { password: options.password } : {}),
      });
      return { files: [file], encrypted: options.password !== undefined, entries: entries.length, left: [] };
    }
    case 'latchkey': {
      if (!options.password) throw new RangeError('the Latchkey export is always encrypted: give it a password');
      const file = await exportLatchkeyEncrypted(entries, groups, {
        password: options.password,
        params: options.params,
        clock: options.clock,
      });
      return { files: [file], encrypted: true, entries: entries.length, left: [] };
    }
    case 'qr': {
      const entry = entries.find((e) => e.id === options.entryId);
      if (!entry) throw new RangeError('a QR code export names one entry');
      return { files: [await qr(formatOtpauthUri(entry))], encrypted: false, entries: 1, left: [] };
    }
    case 'google-qr': {
      const left: VaultExport['left'] = [];
      const fit: VaultEntry[] = [];
      for (const entry of entries) {
        const reason = googleMigrationMisfit(entry);
        if (reason) left.push({ entry, reason });
        else fit.push(entry);
      }
      const files = await Promise.all(googleMigrationUris(fit).map(qr));
      return { files, encrypted: false, entries: fit.length, left };
    }
  }
}
