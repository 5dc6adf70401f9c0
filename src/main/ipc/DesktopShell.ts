// What the desktop app's core needs from Electron itself: the clipboard, the screens, login items, the window.

/**
 * Implemented by the Electron shell (src/main/app/electronShell.main.ts) and, in tests, by a stand-in that records
 * what it was asked: Electron cannot run there. Nothing here carries a secret except a code written to the clipboard.
 */
export interface DesktopShell {
  /**
   * Puts a code on the clipboard, kept out of clipboard history and cloud clipboards where the OS allows, and takes it
   * off after `clearAfterMs` (0: never) unless the person copied something else meanwhile.
   */
  copy(text: string, options: { clearAfterMs: number }): void;
  /** Takes the clipboard's text off now if it is still what `copy` put there (on lock). */
  clearCopied(): void;
  /** A picture of every screen, as PNG bytes, for reading a QR code shown on screen. */
  captureScreens(): Promise<Uint8Array[]>;
  /**
   * Asks where to save an export (the save dialog, `defaultName` offered) and writes `data` there with mode 0600.
   * Resolves the path written, or undefined when the person cancelled.
   */
  saveFile(options: { defaultName: string; data: Uint8Array }): Promise<string | undefined>;
  /** Starts Latchkey when the person logs in to the computer, or stops doing so. */
  setStartAtLogin(enabled: boolean): void;
}
