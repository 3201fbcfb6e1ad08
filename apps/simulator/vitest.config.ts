import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    // chDB and PGlite bind process-wide state: every test file gets its own process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
