import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 60_000,
    reporters: ['default', './test/plain-summary-reporter.ts'],
    setupFiles: ['./test/setup.ts'],
  },
});
