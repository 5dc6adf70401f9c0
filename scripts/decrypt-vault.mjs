#!/usr/bin/env node
// Standalone decryptor of a Latchkey vault (docs/vault-format.md): opens it with the password, or the recovery code and
// the password, and prints its entries as 2FAuth JSON. Needs only Node and @node-rs/argon2, so no one is locked in.
// Usage: LATCHKEY_PASSWORD=... [LATCHKEY_RECOVERY_CODE=...] node scripts/decrypt-vault.mjs vault.json [journal]
// (secrets come from the environment, not the command line, where other users could read them in the process list).
import { Buffer } from 'node:buffer';
import { createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashRaw } from '@node-rs/argon2';

function fail(message) {
  process.stderr.write(`decrypt-vault: ${message}\n`);
  process.exit(1);
}

// Object members sorted by name, recursively; arrays kept in order (section "Canonical JSON").
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const b64 = (text) => Buffer.from(text, 'base64');
const utf8 = (text) => Buffer.from(text.normalize('NFC'), 'utf8');

function aesGcmOpen(key, nonce, sealed, aad) {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  } catch {
    return undefined;
  }
}

function argon2id(secret, kdf) {
  return hashRaw(utf8(secret), {
    salt: b64(kdf.salt),
    memoryCost: kdf.m,
    timeCost: kdf.t,
    parallelism: kdf.p,
    outputLen: 32,
    algorithm: 2,
  });
}

// The key of a slot's `wrapped`, or undefined when the recovery code opens no recovery secret (section "Slot keys").
async function slotKey(slot, aadOf) {
  if (slot.type === 'password') return argon2id(password, slot.kdf);
  const { kdf, nonce, wrapped } = slot.secretUnderCode;
  const secret = aesGcmOpen(await argon2id(recoveryCode, kdf), b64(nonce), b64(wrapped), aadOf('code'));
  if (!secret) return undefined;
  const ikm = Buffer.concat([secret, await argon2id(password, slot.kdf)]);
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'latchkey-vault/v1/recovery', 32));
}

const [path, journalPath] = process.argv.slice(2);
const password = process.env.LATCHKEY_PASSWORD;
const recoveryCode = process.env.LATCHKEY_RECOVERY_CODE;
if (!path || password === undefined)
  fail('usage: LATCHKEY_PASSWORD=... [LATCHKEY_RECOVERY_CODE=...] decrypt-vault.mjs FILE [JOURNAL]');

let vault;
try {
  vault = JSON.parse(readFileSync(path, 'utf8'));
} catch {
  fail(`${path} is not a readable JSON file`);
}
const { checksum, ...body } = vault;
if (body.format !== 'latchkey-vault') fail('not a Latchkey vault (member format)');
if (createHash('sha256').update(canonical(body)).digest('hex') !== checksum)
  fail('the file checksum does not match: damaged');
if (body.version !== 1) fail(`format version ${body.version}; this decryptor reads version 1`);

const header = ['latchkey-vault', 1, body.vault, body.epoch];
const wanted = recoveryCode === undefined ? 'password' : 'recovery';
let master;
let codeOpened = false;
for (const [id, slot] of Object.entries(body.slots)) {
  if (slot.deleted || slot.type !== wanted) continue;
  const aadOf = (...layer) => JSON.stringify([...header, 'slot', id, slot.type, slot.share, ...layer]);
  const key = await slotKey(slot, aadOf);
  if (!key) continue;
  codeOpened = true;
  const opened = aesGcmOpen(key, b64(slot.nonce), b64(slot.wrapped), aadOf());
  if (!opened) continue;
  if (slot.share !== 'master')
    fail('this vault needs the password together with a security key (password-and-key mode); use the recovery code');
  master = opened;
  break;
}
if (!master)
  fail(
    wanted === 'password'
      ? 'the password does not open this vault'
      : codeOpened
        ? 'the recovery code is right, but the password does not open the recovery slot with it'
        : 'the recovery code does not open the recovery slot of this vault',
  );

const subkey = (info) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
const mac = createHmac('sha256', subkey('latchkey-vault/v1/slot-set-mac'))
  .update(JSON.stringify([...header, 'slots', body.mode, JSON.parse(canonical(body.slots))]))
  .digest();
if (!timingSafeEqual(mac, b64(body.slotsMac))) fail('the slot list does not match its MAC: damaged or tampered with');
const entryKey = subkey('latchkey-vault/v1/entries');
// A record and its JSON (undefined for a tombstone), its tag checked (section "Entry record").
function openRecord(id, record) {
  const hlc = [record.hlc.wall, record.hlc.counter, record.hlc.device];
  const aad = JSON.stringify([...header, 'entry', id, hlc, record.deleted]);
  const plain = aesGcmOpen(entryKey, b64(record.nonce), b64(record.ciphertext), aad);
  if (!plain) fail(`entry ${id} fails its authentication tag: damaged`);
  return { record, item: record.deleted ? undefined : JSON.parse(plain.toString('utf8')) };
}
const order = (a, b) => a.wall - b.wall || a.counter - b.counter || (a.device > b.device) - (a.device < b.device);
// Section "Sync": a tombstone wins, then the later clock; HOTP counters by maximum.
function merge(a, b) {
  if (!a) return b;
  if (a.record.deleted || b.record.deleted)
    return a.record.deleted && (!b.record.deleted || order(a.record.hlc, b.record.hlc) >= 0) ? a : b;
  const [winner, loser] = order(a.record.hlc, b.record.hlc) >= 0 ? [a, b] : [b, a];
  if (winner.item.otp_type === 'hotp' && loser.item.otp_type === 'hotp')
    winner.item.counter = Math.max(winner.item.counter, loser.item.counter);
  return winner;
}
const opened = new Map(Object.entries(body.entries).map(([id, record]) => [id, openRecord(id, record)]));
// Changes Latchkey journaled but did not write into the file yet (section "The journal"), when given.
const lines = journalPath ? readFileSync(journalPath, 'utf8').split('\n') : [];
for (const [n, line] of lines.entries()) {
  const [, json, digest] = /^(.*) ([0-9a-f]{64})$/.exec(line) ?? [];
  const whole = json !== undefined && createHash('sha256').update(json).digest('hex') === digest;
  if (!whole && n === lines.length - 1) break; // an append that a crash cut short: never acknowledged
  if (!whole) fail(`change ${n + 1} of the journal is damaged`);
  const change = JSON.parse(json);
  if (change.vault !== body.vault || change.epoch !== body.epoch)
    fail(`change ${n + 1} of the journal is of another vault or key epoch`);
  for (const [id, record] of Object.entries(change.records))
    opened.set(id, merge(opened.get(id), openRecord(id, record)));
}
const FIELDS = ['otp_type', 'service', 'account', 'secret', 'digits', 'algorithm', 'period', 'counter', 'icon'];
const data = [];
// Groups are records too (kind "group"); 2FAuth's JSON takes each entry's OTP fields, in id order.
for (const [, { item }] of [...opened].sort(([a], [b]) => (a < b ? -1 : 1)))
  if (item?.kind === 'entry') data.push(Object.fromEntries(FIELDS.map((name) => [name, item[name] ?? null])));
process.stdout.write(`${JSON.stringify({ app: 'latchkey', schema: 1, data }, null, 2)}\n`);
