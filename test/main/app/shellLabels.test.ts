import { describe, expect, it } from 'vitest';
import { SHELL_LABELS, shellLanguage } from '../../../src/main/app/shellLabels.js';

describe('the shell’s words', () => {
  it('follow the language preference, and the OS locale for "system"', () => {
    expect(shellLanguage('fr', 'en-US')).toBe('fr');
    expect(shellLanguage('system', 'fr-CA')).toBe('fr');
    expect(shellLanguage('system', 'de-DE')).toBe('en');
  });

  it('say every item in every language', () => {
    for (const labels of Object.values(SHELL_LABELS))
      expect(Object.values(labels).every((word) => word.trim().length > 0)).toBe(true);
    expect(Object.keys(SHELL_LABELS.fr).sort()).toEqual(Object.keys(SHELL_LABELS.en).sort());
  });
});
