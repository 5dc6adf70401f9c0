import { defineConfig } from 'vitest/config';

// The end-to-end tests: the built renderer in Debian's Chromium, the real services behind it (test/e2e/support).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/support/buildRenderer.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser per file; two files at a time on two cores would make every wait longer for nothing.
    fileParallelism: false,
    env: { LATCHKEY_VAULT_KDF_MS: '1' },
  },
});
