// The DesktopShell in the tests, where Electron cannot run: it records copies and writes exports to a folder.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DesktopShell } from '../../src/main/ipc/DesktopShell.js';

export interface TestShell extends DesktopShell {
  /** What the clipboard holds now ('' once cleared). */
  clipboard: string;
  copies: { text: string; clearAfterMs: number }[];
  /** Pictures captureScreens gives (a QR code "on screen"). */
  screens: Uint8Array[];
  saved: string[];
}

export function testShell(exportDir: string): TestShell {
  let timer: NodeJS.Timeout | undefined;
  const shell: TestShell = {
    clipboard: '',
    copies: [],
    screens: [],
    saved: [],
    copy(text, { clearAfterMs }) {
      clearTimeout(timer);
      shell.clipboard = text;
      shell.copies.push({ text, clearAfterMs });
      if (clearAfterMs > 0)
        timer = setTimeout(() => {
          if (shell.clipboard === text) shell.clipboard = '';
        }, clearAfterMs);
    },
    clearCopied() {
      clearTimeout(timer);
      shell.clipboard = '';
    },
    async captureScreens() {
      return shell.screens;
    },
    async saveFile({ defaultName, data }) {
      const path = join(exportDir, defaultName);
      await writeFile(path, data, { mode: 0o600 });
      shell.saved.push(path);
      return path;
    },
    setStartAtLogin() {},
  };
  return shell;
}
