// The OS's usual folder for an application's data, where Latchkey keeps its files unless told otherwise (`--data-dir`).

import { homedir as osHomedir } from 'node:os';
import { posix, win32 } from 'node:path';

export interface DefaultDataDirOptions {
  /** @default process.platform */
  platform?: NodeJS.Platform;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** @default os.homedir() */
  homedir?: string;
}

/**
 * %APPDATA%\Latchkey on Windows, ~/Library/Application Support/Latchkey on macOS, and elsewhere
 * $XDG_CONFIG_HOME/latchkey or ~/.config/latchkey (the folders Electron's `userData` uses, so the app and the CLI agree).
 */
export function defaultDataDir(options: DefaultDataDirOptions = {}): string {
  const { platform = process.platform, env = process.env, homedir = osHomedir() } = options;
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(homedir, 'AppData', 'Roaming'), 'Latchkey');
  if (platform === 'darwin') return posix.join(homedir, 'Library', 'Application Support', 'Latchkey');
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return posix.join(xdg && posix.isAbsolute(xdg) ? xdg : posix.join(homedir, '.config'), 'latchkey');
}
