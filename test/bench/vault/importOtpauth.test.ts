// The import benchmark measures what it says: 10,000 URIs that all read, a tenth of them already in the vault.

import { describe, expect, it } from 'vitest';
import { buildFile } from '../../../bench/vault/importOtpauth.bench.js';
import { previewImport, readImport } from '../../../src/main/vault/transfer/import/index.js';

describe('the import benchmark file', () => {
  it('reads to 10,000 entries, of which 1,000 duplicate the 10,000-entry vault by secret or by name', async () => {
    const { data, existing } = buildFile();
    const parsed = await readImport(data);
    expect([parsed.format, parsed.entries.length, parsed.notImported.length, existing.length]).toEqual([
      'otpauth',
      10_000,
      0,
      10_000,
    ]);
    const preview = previewImport(parsed, existing);
    expect(preview.toAdd).toHaveLength(9_000);
    const reasons = preview.duplicates.map((d) => d.reason);
    expect(reasons.filter((r) => r === 'same-secret')).toHaveLength(500);
    expect(reasons.filter((r) => r === 'same-service-and-account')).toHaveLength(500);
  });
});
