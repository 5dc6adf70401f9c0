// The DesktopShell the app core uses, on Electron: the clipboard, screen captures, the save dialog and the login item.

import { app, clipboard, ClipboardItem, desktopCapturer, dialog, screen } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../store/writeFileAtomic.js';
import { autostartEntry, autostartFile } from './linuxAutostart.js';
import type { DesktopShell } from '../ipc/DesktopShell.js';
import { concealedClipboardFormats, electronRawFormat } from './concealedClipboardFormats.js';
import { fingerprintCopied, shouldClearClipboard, type CopiedFingerprint } from './copiedText.js';

export function createElectronShell(): DesktopShell {
  let copied: CopiedFingerprint | undefined;
  let clearTimer: NodeJS.Timeout | undefined;

  const clearCopied = async (): Promise<void> => {
    clearTimeout(clearTimer);
    clearTimer = undefined;
    if (shouldClearClipboard({ current: await clipboard.readText(), copied })) clipboard.clear();
    copied = undefined;
  };

  return {
    copy(text, { clearAfterMs }) {
      clearTimeout(clearTimer);
      clearTimer = undefined;
      const item: Record<string, string | Blob> = { 'text/plain': text };
      for (const marker of concealedClipboardFormats(process.platform)) {
        item[electronRawFormat(marker.format)] = new Blob([new Uint8Array(marker.bytes)]);
      }
      // One write: the markers and the text reach the OS together, so no monitor sees the text without them.
      void clipboard.write([new ClipboardItem(item)]);
      copied = fingerprintCopied(text);
      if (clearAfterMs > 0) clearTimer = setTimeout(() => void clearCopied(), clearAfterMs);
    },
    clearCopied() {
      void clearCopied();
    },
    async captureScreens() {
      // Thumbnails are the only pictures desktopCapturer gives; at the largest screen's size they are full pictures.
      const largest = screen.getAllDisplays().reduce(
        (size, display) => ({
          width: Math.max(size.width, Math.round(display.size.width * display.scaleFactor)),
          height: Math.max(size.height, Math.round(display.size.height * display.scaleFactor)),
        }),
        { width: 0, height: 0 },
      );
      const sources = await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: largest });
      return sources.map((source) => new Uint8Array(source.thumbnail.toPNG()));
    },
    async saveFile({ defaultName, data }) {
      const chosen = await dialog.showSaveDialog({
        defaultPath: defaultName,
        properties: ['showOverwriteConfirmation'],
      });
      if (chosen.canceled || chosen.filePath === undefined) return undefined;
      // Exports may hold secrets: only the person's account may read the file (Windows ignores the mode).
      await writeFileAtomic(chosen.filePath, data, { mode: 0o600 });
      return chosen.filePath;
    },
    setStartAtLogin(enabled) {
      if (process.platform !== 'linux') {
        app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
        return;
      }
      const file = autostartFile(process.env, homedir());
      if (!enabled) return rmSync(file, { force: true });
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, autostartEntry(process.env.APPIMAGE ?? process.execPath));
    },
  };
}
