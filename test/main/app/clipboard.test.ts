// Copying a code: the markers that keep it out of clipboard history, and clearing it only if it is still ours.

import { describe, expect, it } from 'vitest';
import { concealedClipboardFormats, electronRawFormat } from '../../../src/main/app/concealedClipboardFormats.js';
import { fingerprintCopied, shouldClearClipboard } from '../../../src/main/app/copiedText.js';

describe('concealedClipboardFormats', () => {
  it('on Windows excludes the entry from monitors, history and the cloud clipboard', () => {
    const formats = concealedClipboardFormats('win32');
    expect(formats.map((f) => f.format)).toEqual([
      'ExcludeClipboardContentFromMonitorProcessing',
      'CanIncludeInClipboardHistory',
      'CanUploadToCloudClipboard',
    ]);
    // The two "Can..." formats are DWORDs: 0 means no.
    expect([...formats[1]!.bytes]).toEqual([0, 0, 0, 0]);
    expect([...formats[2]!.bytes]).toEqual([0, 0, 0, 0]);
  });

  it('on macOS marks the entry concealed', () => {
    expect(concealedClipboardFormats('darwin').map((f) => f.format)).toEqual(['org.nspasteboard.ConcealedType']);
  });

  it('on Linux gives KDE\u2019s password-manager hint', () => {
    const [hint] = concealedClipboardFormats('linux');
    expect(hint?.format).toBe('x-kde-passwordManagerHint');
    expect(new TextDecoder().decode(hint?.bytes)).toBe('secret');
  });

  it('elsewhere adds nothing', () => {
    expect(concealedClipboardFormats('freebsd')).toEqual([]);
  });

  it('names a raw OS format as Electron\u2019s ClipboardItem expects', () => {
    expect(electronRawFormat('org.nspasteboard.ConcealedType')).toBe(
      'electron application/osclipboard;format="org.nspasteboard.ConcealedType"',
    );
  });
});

describe('shouldClearClipboard', () => {
  const copied = fingerprintCopied('123456');

  it('clears what Latchkey copied', () => {
    expect(shouldClearClipboard({ current: '123456', copied })).toBe(true);
  });

  it('leaves what the person copied since', () => {
    expect(shouldClearClipboard({ current: 'my notes', copied })).toBe(false);
    expect(shouldClearClipboard({ current: '123457', copied })).toBe(false);
  });

  it('does nothing when nothing was copied or the clipboard is empty', () => {
    expect(shouldClearClipboard({ current: '123456', copied: undefined })).toBe(false);
    expect(shouldClearClipboard({ current: '', copied: fingerprintCopied('') })).toBe(false);
  });

  it('keeps a digest, not the code', () => {
    expect(copied).toHaveLength(32);
    expect(Buffer.from(copied).toString('utf8')).not.toContain('123456');
  });
});
