// The CSP the app sends: strict in production, widened only to the dev server in development.

import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src/main/app/contentSecurityPolicy.js';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('is exactly the production policy of the design', () => {
    expect(contentSecurityPolicy()).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
    );
  });

  it('allows no eval, no inline code and no remote origin in production', () => {
    const policy = contentSecurityPolicy();
    expect(policy).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|\*|https?:|wss?:/);
  });

  it('in development adds the dev server origin and its hot-reload socket, nothing else', () => {
    const dev = directives(contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/' }));
    expect(dev.get('script-src')).toEqual(["'self'", 'http://localhost:5173']);
    expect(dev.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(dev.get('style-src')).toEqual(["'self'", 'http://localhost:5173', "'unsafe-inline'"]);
    expect(dev.get('default-src')).toEqual(["'none'"]);
    expect([...dev.values()].flat()).not.toContain("'unsafe-eval'");
  });
});
