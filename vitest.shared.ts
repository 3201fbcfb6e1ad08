import { defineProject, type TestProjectInlineConfiguration } from 'vitest/config';

type TestOptions = NonNullable<TestProjectInlineConfiguration['test']>;

/**
 * Every workspace's vitest settings, in one place (each workspace's vitest.config.ts calls this, with
 * overrides only where it differs and a comment saying why).
 */
export function workspaceTestConfig(overrides: TestOptions = {}) {
  return defineProject({
    test: {
      // chDB and PGlite bind process-wide state: every test file gets its own process.
      pool: 'forks',
      testTimeout: 60_000,
      hookTimeout: 180_000,
      ...overrides,
    },
  });
}
