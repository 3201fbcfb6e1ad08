import { afterAll as vitestAfterAll, beforeAll as vitestBeforeAll, it as vitestIt } from 'vitest';

/** What cleanup (stopping a server left running, dropping a database) may take, outside the budget. */
export const CLEANUP_MS = 5_000;

/**
 * One deadline for a whole fault file. The issue bounds the fault tests at five minutes together, and
 * vitest only knows per-hook and per-test timeouts: summed, the generous ones each step needs on a busy
 * machine allow far more than a file ever takes. So every hook and test of a file races one deadline,
 * `seconds` after the file started, and fails when it passes; cleanup gets CLEANUP_MS of its own. The
 * budgets (README.md beside this file) add up to under five minutes with the cleanups and imports.
 *
 * Use the returned beforeAll / it / afterAll in place of vitest's; afterAll also prints the file's time
 * against its budget.
 */
export function faultFileBudget(name: string, seconds: number) {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const timeout = seconds * 1000;

  // No parameters: vitest reads a hook's or test's first parameter as a fixture request.
  function bounded(fn: () => unknown): () => Promise<void> {
    return async () => {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`faults/${name}: its ${seconds} s budget was spent before this step`);
      let timer: NodeJS.Timeout | undefined;
      const over = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`faults/${name}: over its ${seconds} s budget (README.md in faults/)`)),
          left,
        );
      });
      try {
        await Promise.race([Promise.resolve().then(fn), over]);
      } finally {
        clearTimeout(timer);
      }
    };
  }

  return {
    beforeAll: (fn: () => unknown) => vitestBeforeAll(bounded(fn), timeout),
    it: (title: string, fn: () => unknown) => vitestIt(title, bounded(fn), timeout),
    afterAll: (fn: () => unknown = () => {}) =>
      vitestAfterAll(async () => {
        const ran = Date.now();
        try {
          await fn();
        } finally {
          const s = (ms: number) => (ms / 1000).toFixed(1);
          console.log(
            `faults/${name}: ${s(ran - started)} s of its ${seconds} s budget, cleanup ${s(Date.now() - ran)} s`,
          );
        }
      }, CLEANUP_MS),
  };
}
