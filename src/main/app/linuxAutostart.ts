// Start at login on Linux: Electron's login items do nothing there; desktops start what ~/.config/autostart holds.

import { posix } from 'node:path';

/** Where the XDG autostart entry goes ($XDG_CONFIG_HOME/autostart, else ~/.config/autostart). */
export function autostartFile(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const config =
    env.XDG_CONFIG_HOME && posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : posix.join(home, '.config');
  return posix.join(config, 'autostart', 'latchkey.desktop');
}

/**
 * The desktop entry that starts Latchkey hidden in the tray. `executable` is the AppImage when run from one (its
 * $APPIMAGE; the mounted binary's path changes at every start), else the installed binary.
 */
export function autostartEntry(executable: string): string {
  // The Exec key quotes arguments with double quotes and escapes ", `, $ and \ inside them (desktop entry spec).
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Latchkey',
    `Exec=${quoted} --hidden`,
    'X-GNOME-Autostart-enabled=true',
    'NoDisplay=true',
    '',
  ].join('\n');
}
