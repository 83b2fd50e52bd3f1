import { defineConfig } from 'vitest/config';

/** Server routes and sync against PGlite, and against PostgreSQL too when TEST_DATABASE_URL is set. */
export default defineConfig({
  test: {
    include: ['tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Two cores: files run one at a time so PGlite instances and the PostgreSQL cluster are not starved.
    fileParallelism: false,
  },
});
