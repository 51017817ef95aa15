import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 60_000,
    // Many files wait on processes of their own (the CLI, Chromium, redis-server, worker threads),
    // so two files at a time keep a 2-core machine busy where vitest's default (cores - 1) runs one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Set-ups that generate exports wait for the CPU like the tests do: a busy machine is not a failure.
    hookTimeout: 120_000,
    reporters: ['default', './test/plain-summary-reporter.ts'],
    setupFiles: ['./test/setup.ts'],
    // Builds dist/ first when a source changed since the last build (the workers and the module load from there).
    globalSetup: ['./test/build/global-setup.ts'],
  },
});
