import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 20_000,
    // New vault slots use Argon2id at its floor (m = 19 MiB, t = 2) instead of calibrating to 250 ms per account made:
    // hundreds of accounts are made across the suite. Calibration itself is tested in test/main/vault/crypto.
    env: { LATCHKEY_VAULT_KDF_MS: '1' },
    // PC/SC files share one pcscd and two vpcd slots; they serialise through a lock, and `npm test` runs them in a
    // second pass of their own so their latency checks (card listed within 1 s) do not run beside CPU-heavy unit tests.
    fileParallelism: true,
  },
});
