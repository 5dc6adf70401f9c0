import { createDecipheriv, createHash, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exportAegisJson } from '../../../../../src/main/vault/transfer/export/index.js';
import { GROUP, ICON_PNG, icons, sampleEntries, SECRET } from '../transferFixtures.js';

interface KeyParams {
  nonce: string;
  tag: string;
}
interface PasswordSlot {
  type: number;
  uuid: string;
  key: string;
  key_params: KeyParams;
  n: number;
  r: number;
  p: number;
  salt: string;
  repaired: boolean;
}
interface AegisFile {
  version: number;
  header: { slots: PasswordSlot[] | null; params: KeyParams | null };
  db: unknown;
}

/** AES-256-GCM open as Aegis' docs/vault.md and decrypt.py describe it: no additional data, nonce and tag in hex. */
function gcmOpen(key: Buffer, ciphertext: Buffer, params: KeyParams): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(params.nonce, 'hex'));
  decipher.setAuthTag(Buffer.from(params.tag, 'hex'));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** An Aegis decryptor written from docs/vault.md alone: scrypt over the password slot, then the master key over db. */
function aegisDecrypt(file: AegisFile, password: string): unknown {
  for (const slot of file.header.slots ?? []) {
    if (slot.type !== 1) continue;
    const derived = scryptSync(password, Buffer.from(slot.salt, 'hex'), 32, {
      N: slot.n,
      r: slot.r,
      p: slot.p,
      maxmem: 256 * slot.n * slot.r,
    });
    const master = gcmOpen(derived, Buffer.from(slot.key, 'hex'), slot.key_params);
    return JSON.parse(gcmOpen(master, Buffer.from(file.db as string, 'base64'), file.header.params!).toString('utf8'));
  }
  throw new Error('no password slot');
}

describe('exportAegisJson', () => {
  it('writes a plain vault: null slots and params, content version 3 with entries and groups', async () => {
    const entries = sampleEntries();
    const file = JSON.parse((await exportAegisJson(entries, [GROUP], { icons })).toString('utf8')) as AegisFile;
    expect(file.version).toBe(1);
    expect(file.header).toEqual({ slots: null, params: null });
    const db = file.db as { version: number; entries: Record<string, unknown>[]; groups: unknown[] };
    expect(db.version).toBe(3);
    expect(db.groups).toEqual([{ uuid: GROUP.id, name: 'Work' }]);
    expect(db.entries[0]).toEqual({
      type: 'totp',
      uuid: entries[0]!.id,
      name: 'alice@example.com',
      issuer: 'GitHub',
      note: 'main',
      favorite: false,
      icon: ICON_PNG.toString('base64'),
      icon_mime: 'image/png',
      icon_hash: createHash('sha256').update(ICON_PNG).digest('hex'),
      info: { secret: SECRET, algo: 'SHA1', digits: 6, period: 30 },
      groups: [GROUP.id],
    });
    expect(db.entries[1]).toMatchObject({ type: 'hotp', info: { algo: 'SHA256', digits: 8, counter: 42 } });
    expect(db.entries[2]).toMatchObject({ type: 'steam', info: { algo: 'SHA1', digits: 5, period: 30 } });
    expect(db.entries[3]).toMatchObject({ issuer: 'Çafé ☕', name: 'ünïcødé 名前', info: { algo: 'SHA512' } });
  });

  it('an encrypted export opens with its password, under Aegis’ own scrypt parameters, to the plain content', async () => {
    const entries = sampleEntries();
    const password = Buffer.from('pässword 1', 'utf8');
    const bytes = await exportAegisJson(entries, [GROUP], { password, icons });
    const text = bytes.toString('utf8');
    expect(text).not.toContain(SECRET);
    const file = JSON.parse(text) as AegisFile;
    expect(file.header.slots).toHaveLength(1);
    expect(file.header.slots![0]).toMatchObject({ type: 1, n: 32768, r: 8, p: 1, repaired: true });
    expect(file.header.slots![0]!.salt).toMatch(/^[0-9a-f]{64}$/);
    expect(file.header.params!.nonce).toMatch(/^[0-9a-f]{24}$/);
    expect(typeof file.db).toBe('string');
    const plain = JSON.parse((await exportAegisJson(entries, [GROUP], { icons })).toString('utf8')) as AegisFile;
    expect(aegisDecrypt(file, 'pässword 1')).toEqual(plain.db);
  });

  it('a wrong password fails the slot’s authentication tag', async () => {
    const file = JSON.parse(
      (await exportAegisJson(sampleEntries(), [], { password: Buffer.from('right') })).toString('utf8'),
    ) as AegisFile;
    expect(() => aegisDecrypt(file, 'wrong')).toThrow(/unable to authenticate/i);
  });
});
