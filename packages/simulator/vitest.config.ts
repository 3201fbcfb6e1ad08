import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    // chDB and PGlite bind process-wide state: every test file gets its own process.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
