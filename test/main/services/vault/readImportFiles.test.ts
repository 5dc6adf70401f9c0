// readImportFiles: a WebP picture of a QR code is read as a picture, by its content, whatever its name says.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readImportFiles, readScreenImport } from '../../../../src/main/services/vault/readImportFiles.js';
import { ImportError } from '../../../../src/main/vault/transfer/import/index.js';
import { qrPng } from '../../../../src/main/vault/transfer/qr/index.js';
import { pixelsOfPng, webpOf } from '../../vault/transfer/qr/webpOf.js';

const URI = 'otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-import-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readImportFiles', () => {
  it('reads the QR code of a WebP picture, named as anything', async () => {
    const file = join(dir, 'screenshot.bin');
    await writeFile(file, await webpOf(pixelsOfPng(await qrPng(URI)), { lossless: true }));
    const parsed = await readImportFiles([file]);
    expect(parsed.format).toBe('otpauth');
    expect(parsed.entries.map((e) => [e.input.service, e.input.account, e.source.split(':')[0]])).toEqual([
      ['GitHub', 'alice@example.com', 'screenshot.bin'],
    ]);
  });
});

describe('readScreenImport', () => {
  it('reads the account codes shown on screen and passes over a screen whose code is not one', async () => {
    const link = await qrPng('https://example.org/not-an-account');
    const parsed = await readScreenImport([link, await qrPng(URI)]);
    expect(parsed.entries.map((e) => e.input.service)).toEqual(['GitHub']);
    expect(parsed.notImported).toEqual([]);
  });

  it('says no account code was found when no screen shows one', async () => {
    const refused = readScreenImport([await qrPng('https://example.org/')]);
    await expect(refused).rejects.toBeInstanceOf(ImportError);
    await expect(refused).rejects.toThrow(/no QR code of an account was found on screen/);
  });
});
