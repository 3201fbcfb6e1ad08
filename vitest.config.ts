import { defineConfig } from 'vitest/config';

// One vitest project per workspace package; `npm test` runs each package's own suite through turbo,
// this file lets `npx vitest` run everything from the root.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
