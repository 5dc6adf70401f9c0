import { describe, expect, it } from 'vitest';
import { autostartEntry, autostartFile } from '../../../src/main/app/linuxAutostart.js';

describe('start at login on Linux', () => {
  it('goes in the XDG autostart folder, ignoring a relative XDG_CONFIG_HOME', () => {
    expect(autostartFile({}, '/home/ada')).toBe('/home/ada/.config/autostart/latchkey.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe('/cfg/autostart/latchkey.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'cfg' }, '/home/ada')).toBe('/home/ada/.config/autostart/latchkey.desktop');
  });

  it('starts the executable hidden, quoted as the desktop entry spec says', () => {
    const entry = autostartEntry('/opt/My "Apps"/latchkey$1');
    expect(entry).toContain('Exec="/opt/My \\"Apps\\"/latchkey\\$1" --hidden\n');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
  });
});
