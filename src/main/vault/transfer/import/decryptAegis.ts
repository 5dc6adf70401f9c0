// Opens an encrypted Aegis file with its password: scrypt over a password slot unwraps the master key (docs/vault.md).

import { open } from '../../crypto/aesGcm.js';
import { scrypt, scryptMemoryBytes, type ScryptParams } from '../../../secrets/scrypt.js';
import { zeroize } from '../../../secrets/zeroize.js';
import { ImportError } from './ImportError.js';
import { isJsonObject, jsonKind, textAt, type JsonObject } from './jsonValues.js';
import { parseImportJson } from './parseImportJson.js';

/** Aegis' password slot type (docs/vault.md, "Slots"). */
const PASSWORD_SLOT = 1;

/**
 * Aegis writes N = 2^15, r = 8, p = 1 (32 MiB). A file asking for more than 256 MiB or 2^24 block mixes is refused
 * rather than let a crafted file hold the memory or a core for minutes.
 */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const MAX_SCRYPT_WORK = 2 ** 24;

const EMPTY = new Uint8Array(0);

interface PasswordSlot {
  key: Buffer;
  nonce: Buffer;
  tag: Buffer;
  salt: Buffer;
  params: ScryptParams;
}

/**
 * The decrypted `db` object. `password` is asked only here, once; its bytes are zeroed once every slot was tried, as
 * are the derived keys, the master key and the plaintext. ImportError: `password-needed` (none given),
 * `wrong-password` (no password slot opens), `missing-part` (no password slot, no params), `damaged` (bad hex or
 * base64, a ciphertext that does not open under the master key).
 */
export async function decryptAegis(
  root: JsonObject,
  password: (() => Promise<Uint8Array | undefined>) | undefined,
): Promise<unknown> {
  const header = root.header as JsonObject;
  if (!Array.isArray(header.slots))
    throw new ImportError(
      'missing-part',
      `the encrypted Aegis file's header.slots is ${jsonKind(header.slots)}, expected a list`,
    );
  const slots = header.slots
    .filter((s) => isJsonObject(s) && s.type === PASSWORD_SLOT)
    .map((s, i) => passwordSlot(s as JsonObject, i + 1));
  if (slots.length === 0)
    throw new ImportError(
      'missing-part',
      'the encrypted Aegis file has no password slot (only biometric ones, which open on the phone alone): export it again with a password',
    );
  const params = isJsonObject(header.params) ? header.params : undefined;
  if (params === undefined)
    throw new ImportError('missing-part', "the encrypted Aegis file's header.params (nonce and tag) is missing");
  const nonce = hexField(params, 'nonce', 12, 'header.params');
  const tag = hexField(params, 'tag', 16, 'header.params');
  if (typeof root.db !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(root.db))
    throw new ImportError('damaged', "the encrypted Aegis file's db is not base64 text");
  const ciphertext = Buffer.from(root.db, 'base64');

  const secret = password ? await password() : undefined;
  if (secret === undefined)
    throw new ImportError('password-needed', 'the Aegis file is encrypted: its password is needed');
  let masterKey: Buffer | undefined;
  try {
    for (const slot of slots) {
      const derived = await scrypt(secret, slot.salt, 32, slot.params);
      try {
        masterKey = open(derived, { nonce: slot.nonce, ciphertext: Buffer.concat([slot.key, slot.tag]) }, EMPTY);
      } finally {
        zeroize(derived);
      }
      if (masterKey !== undefined) break;
    }
  } finally {
    zeroize(secret);
  }
  if (masterKey === undefined)
    throw new ImportError(
      'wrong-password',
      slots.length === 1
        ? "the password does not open the Aegis file's password slot: it is not the password the file was exported with"
        : `the password opens none of the Aegis file's ${slots.length} password slots: it is not the password the file was exported with`,
    );
  let plaintext: Buffer | undefined;
  try {
    if (masterKey.length === 32)
      plaintext = open(masterKey, { nonce, ciphertext: Buffer.concat([ciphertext, tag]) }, EMPTY);
  } finally {
    zeroize(masterKey);
  }
  if (plaintext === undefined)
    throw new ImportError(
      'damaged',
      "the encrypted Aegis file's db does not open under its master key: the file was altered or cut short",
    );
  try {
    return parseImportJson(plaintext.toString('utf8'), "the encrypted Aegis file's db");
  } finally {
    zeroize(plaintext);
  }
}

function passwordSlot(slot: JsonObject, position: number): PasswordSlot {
  const what = `password slot ${position}`;
  const keyParams = isJsonObject(slot.key_params) ? slot.key_params : {};
  const params = { n: slot.n, r: slot.r, p: slot.p };
  for (const [name, value] of Object.entries(params))
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
      throw new ImportError(
        'damaged',
        `the Aegis ${what}'s ${name} is ${jsonKind(value)}, expected a positive whole number`,
      );
  const checked = params as ScryptParams;
  if (checked.n < 2 || (checked.n & (checked.n - 1)) !== 0)
    throw new ImportError('damaged', `the Aegis ${what}'s n is ${checked.n}, expected a power of two`);
  if (scryptMemoryBytes(checked) > MAX_SCRYPT_MEMORY || checked.n * checked.r * checked.p > MAX_SCRYPT_WORK)
    throw new ImportError(
      'unsupported',
      `the Aegis ${what} asks scrypt for N=${checked.n}, r=${checked.r}, p=${checked.p}, above the ${MAX_SCRYPT_MEMORY / 2 ** 20} MiB and 2^24 mixes Latchkey allows (Aegis writes N=32768, r=8, p=1)`,
    );
  return {
    key: hexField(slot, 'key', 32, what),
    nonce: hexField(keyParams, 'nonce', 12, `${what}'s key_params`),
    tag: hexField(keyParams, 'tag', 16, `${what}'s key_params`),
    salt: hexField(slot, 'salt', undefined, what),
    params: checked,
  };
}

/** A hex field of `bytes` bytes (any length up to 64 when undefined). */
function hexField(object: JsonObject, name: string, bytes: number | undefined, what: string): Buffer {
  const text = textAt(object, name);
  const expected = bytes === undefined ? 'hex text of at most 64 bytes' : `${bytes} bytes of hex`;
  if (
    text === undefined ||
    !/^(?:[0-9a-fA-F]{2})+$/.test(text) ||
    (bytes !== undefined ? text.length !== bytes * 2 : text.length > 128)
  )
    throw new ImportError(
      'damaged',
      `the Aegis ${what}'s ${name} is ${text === undefined ? jsonKind(object[name]) : `${text.length} characters`}, expected ${expected}`,
    );
  return Buffer.from(text, 'hex');
}
