import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 20_000,
    // PC/SC files share one pcscd and two vpcd slots; they opt into running alone via their own lock.
    fileParallelism: true,
  },
});
