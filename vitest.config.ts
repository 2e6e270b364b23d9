import { defineConfig } from 'vitest/config'

// Node suites run in parallel files; browser suites one file at a time (one Chromium at once on 2 cores).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          // A no-op unless ACCORD_TEST_BACKEND=postgres: then one throwaway PostgreSQL for the run.
          globalSetup: ['test/support/postgresGlobalSetup.ts'],
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
