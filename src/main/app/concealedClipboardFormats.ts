// The extra clipboard formats that keep a copied code out of clipboard history, cloud clipboards and clipboard managers.

/** One raw clipboard format written beside the text, in the same atomic write. */
export interface ClipboardMarker {
  /** The OS's name for the format (a registered format on Windows, a pasteboard type on macOS, a target on X11). */
  format: string;
  bytes: Uint8Array;
}

/** A DWORD 0: "no" for Windows' CanIncludeInClipboardHistory and CanUploadToCloudClipboard. */
const DWORD_ZERO = new Uint8Array(4);

/**
 * Windows: ExcludeClipboardContentFromMonitorProcessing (any data; history, cloud sync and monitors that honour it skip
 * the whole entry) plus the two older, narrower DWORD formats for Windows 10 builds that read only those
 * (learn.microsoft.com, "Cloud Clipboard and Clipboard History Formats"). macOS: org.nspasteboard.ConcealedType
 * (nspasteboard.org), which clipboard managers skip. Linux: x-kde-passwordManagerHint = "secret", which Klipper and
 * other managers that follow KDE skip. Any other OS: none, the text alone.
 */
export function concealedClipboardFormats(platform: NodeJS.Platform): ClipboardMarker[] {
  switch (platform) {
    case 'win32':
      return [
        { format: 'ExcludeClipboardContentFromMonitorProcessing', bytes: new Uint8Array(1) },
        { format: 'CanIncludeInClipboardHistory', bytes: DWORD_ZERO.slice() },
        { format: 'CanUploadToCloudClipboard', bytes: DWORD_ZERO.slice() },
      ];
    case 'darwin':
      return [{ format: 'org.nspasteboard.ConcealedType', bytes: new Uint8Array(0) }];
    case 'linux':
      return [{ format: 'x-kde-passwordManagerHint', bytes: new TextEncoder().encode('secret') }];
    default:
      return [];
  }
}

/** Electron's name for a raw OS format in a ClipboardItem (Electron 45's W3C-style clipboard.write). */
export function electronRawFormat(format: string): string {
  return `electron application/osclipboard;format="${format}"`;
}
