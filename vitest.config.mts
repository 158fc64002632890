// Test runner configuration: Node environment, tests under test/ only.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/fixtures/**', 'test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    // Two cores on CI machines: more workers only add contention.
    maxWorkers: 2,
  },
});
