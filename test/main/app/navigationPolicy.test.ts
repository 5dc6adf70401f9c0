// Where the window may go, and which links reach the person's browser.

import { describe, expect, it } from 'vitest';
import { externalLinkTarget, isAppNavigation } from '../../../src/main/app/navigationPolicy.js';

describe('isAppNavigation', () => {
  it('allows the app origin only', () => {
    expect(isAppNavigation('app://latchkey/index.html#/vault')).toBe(true);
    expect(isAppNavigation('app://latchkey.evil/index.html')).toBe(false);
    expect(isAppNavigation('app://evil/index.html')).toBe(false);
    expect(isAppNavigation('https://latchkey.localhost/')).toBe(false);
    expect(isAppNavigation('file:///etc/passwd')).toBe(false);
    expect(isAppNavigation('javascript:alert(1)')).toBe(false);
    expect(isAppNavigation('not a url')).toBe(false);
  });

  it('allows the dev server origin in development, with its port, and nothing near it', () => {
    const dev = { devServerUrl: 'http://localhost:5173' };
    expect(isAppNavigation('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppNavigation('http://localhost:5174/', dev)).toBe(false);
    expect(isAppNavigation('https://localhost:5173/', dev)).toBe(false);
    expect(isAppNavigation('http://localhost:5173/')).toBe(false);
  });
});

describe('externalLinkTarget', () => {
  it('passes plain https links', () => {
    expect(externalLinkTarget('https://github.com/latchkey/latchkey#readme')).toBe(
      'https://github.com/latchkey/latchkey#readme',
    );
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'app://latchkey/index.html',
    'https://user:pass@example.com/',
    'nonsense',
  ])('refuses %s', (url) => {
    expect(externalLinkTarget(url)).toBeUndefined();
  });
});
