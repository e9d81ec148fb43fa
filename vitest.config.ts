import { defineConfig } from 'vitest/config';
import LongFilesFirst from './tests/helpers/sequencer.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Migrates the template database once per run (tests/helpers/test-db.ts copies from it).
    globalSetup: ['tests/helpers/global-setup.ts'],
    // PGlite instances are memory-hungry WASM; a couple of workers keep the 2-core CI box responsive.
    // One worker process runs many test files (isolate: false): the app's modules are loaded once per
    // worker, not once per file, and the worker's PGlite test databases are reset and reused across
    // files (tests/helpers/test-db.ts). The tests keep no state outside their databases and harnesses.
    // minForks = maxForks: with fewer, tinypool stops idle shared workers and can fail the run at the
    // end with "Terminating worker thread" (seen here with maxForks 3, minForks 1; https://github.com/vitest-dev/vitest/issues/8564).
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 2, isolate: false } },
    sequence: { sequencer: LongFilesFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
