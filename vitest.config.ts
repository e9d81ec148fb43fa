import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Migrates the template database once per run (tests/helpers/test-db.ts copies from it).
    globalSetup: ['tests/helpers/global-setup.ts'],
    // PGlite instances are memory-hungry WASM; a couple of workers keep the 2-core CI box responsive.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
