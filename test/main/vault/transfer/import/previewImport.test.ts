import { describe, expect, it } from 'vitest';
import { previewImport, readImport } from '../../../../../src/main/vault/transfer/import/index.js';
import type { ImportedEntry, ParsedImport } from '../../../../../src/main/vault/transfer/import/index.js';
import { fixture } from './importFixtures.js';

const A = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA';
const B = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB';
const C = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXC';
const D = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXD';

function entry(source: string, service: string, account: string, secret: string): ImportedEntry {
  return {
    input: {
      otp_type: 'totp',
      service,
      account,
      secret,
      digits: 6,
      algorithm: 'sha1',
      period: 30,
      counter: null,
      icon: null,
      note: '',
    },
    groups: [],
    source,
  };
}

describe('previewImport', () => {
  it('sorts entries into new ones and duplicates of the vault by secret first, then by folded names', () => {
    const parsed: ParsedImport = {
      format: 'otpauth',
      entries: [
        entry('line 1', 'GitHub', 'alice', A),
        entry('line 2', 'ÉCOLE', 'Bob', B),
        entry('line 3', 'New', 'carol', C),
        entry('line 4', 'Example', 'x', D),
      ],
      notImported: [{ source: 'line 5', reason: 'the line is not an otpauth:// or otpauth-migration:// URI' }],
    };
    const preview = previewImport(parsed, [
      { id: 'id-1', service: 'Other', account: 'other', secret: A },
      { id: 'id-2', service: 'école', account: 'bob', secret: D },
    ]);
    expect(preview.toAdd.map((e) => e.source)).toEqual(['line 3']);
    expect(preview.duplicates.map((d) => [d.entry.source, d.existingId, d.reason])).toEqual([
      ['line 1', 'id-1', 'same-secret'],
      ['line 2', 'id-2', 'same-service-and-account'],
      ['line 4', 'id-2', 'same-secret'],
    ]);
    expect(preview.notImported).toBe(parsed.notImported);
  });

  it('finds duplicates within the file itself, pointing at the earlier entry', () => {
    const first = entry('line 1', 'GitHub', 'alice', A);
    const parsed: ParsedImport = {
      format: 'otpauth',
      entries: [first, entry('line 2', 'Other', 'x', A), entry('line 3', 'github', 'ALICE', B)],
      notImported: [],
    };
    const preview = previewImport(parsed, []);
    expect(preview.toAdd).toEqual([first]);
    expect(preview.duplicates.map((d) => [d.entry.source, d.earlier?.source, d.existingId, d.reason])).toEqual([
      ['line 2', 'line 1', undefined, 'same-secret'],
      ['line 3', 'line 1', undefined, 'same-service-and-account'],
    ]);
  });

  it('finds every entry of a file already imported once to be a duplicate', async () => {
    const parsed = await readImport(fixture('aegis.json'));
    const existing = parsed.entries.map((e, i) => ({ id: `id-${i}`, ...e.input }));
    const preview = previewImport(parsed, existing);
    expect(preview.toAdd).toEqual([]);
    expect(preview.duplicates.map((d) => [d.existingId, d.reason])).toEqual(existing.map((e) => [e.id, 'same-secret']));
  });
});
