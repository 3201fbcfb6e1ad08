import { workspaceTestConfig } from '../../vitest.shared.ts';

export default workspaceTestConfig({
  // The server's suite is the longest and turbo schedules it last (it depends on every package), so it
  // mostly runs alone: vitest's default of (cores - 1) = 1 worker on this 2-core machine left a core idle
  // for its last four minutes. Two workers use it; the time-bounded tests keep their margins (measured).
  maxWorkers: 2,
});
