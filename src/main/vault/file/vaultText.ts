// Turns a vault file's bytes into a checked VaultFile and back: checksum, version, schema, canonical form, in that order.

import { createHash } from 'node:crypto';
import { VAULT_FORMAT, VAULT_VERSION } from '../crypto/additionalData.js';
import { canonicalJson, canonicalJsonText } from '../crypto/canonicalJson.js';
import { VaultDamagedError } from '../errors/VaultDamagedError.js';
import { VaultVersionError } from '../errors/VaultVersionError.js';
import { vaultFileSchema, type VaultFile } from './vaultFileSchema.js';

/** The file before its checksum is computed: what the code that edits a vault handles. */
export type VaultBody = Omit<VaultFile, 'checksum'>;

function checksumOf(body: object): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/** The file's bytes: canonical JSON (sorted members, two-space indent, final newline) with its checksum. */
export function vaultFileBytes(body: VaultBody): Buffer {
  const { checksum: _ignored, ...clean } = body as VaultFile;
  return Buffer.from(canonicalJsonText({ ...clean, checksum: checksumOf(clean) }), 'utf8');
}

/**
 * Checks everything that needs no key. The checksum comes first and the rule for it never changes between versions, so
 * a damaged version number is reported as damage, not as a newer format. Never quotes the file's content.
 */
export function parseVaultFile(data: Uint8Array): VaultFile {
  let text: string;
  let raw: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    raw = JSON.parse(text);
  } catch (cause) {
    throw new VaultDamagedError({ part: 'the file', problem: 'is not JSON text', cause });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new VaultDamagedError({ part: 'the file', problem: 'is not a JSON object' });
  const { checksum, ...body } = raw as Record<string, unknown>;
  if (body.format !== VAULT_FORMAT)
    throw new VaultDamagedError({ part: 'member format', problem: `is not "${VAULT_FORMAT}"` });
  if (typeof checksum !== 'string' || checksum !== checksumOf(body))
    throw new VaultDamagedError({ part: 'the file checksum', problem: 'does not match the content' });
  if (typeof body.version === 'number' && body.version > VAULT_VERSION)
    throw new VaultVersionError(body.version, VAULT_VERSION);
  const parsed = vaultFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VaultDamagedError({
      part: `member ${issue.path.map(String).join('.') || '(root)'}`,
      problem: `fails the format: ${issue.message}`,
    });
  }
  if (!Buffer.from(canonicalJsonText(raw), 'utf8').equals(Buffer.from(data)))
    throw new VaultDamagedError({
      part: 'the file layout',
      problem: 'differs from the canonical form (member order, spacing or number spelling)',
    });
  return parsed.data;
}
