import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    // chDB and PGlite bind process-wide state: every test file gets its own process.
    pool: 'forks',
    // The server's suite is the longest and turbo schedules it last (it depends on every package), so it
    // mostly runs alone: vitest's default of (cores - 1) = 1 worker on this 2-core machine left a core idle
    // for its last four minutes. Two workers use it; the time-bounded tests keep their margins (measured).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
